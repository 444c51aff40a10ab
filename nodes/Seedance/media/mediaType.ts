export type MediaKind = 'image' | 'video' | 'audio';

const MB = 1024 * 1024;

/** Apiframe's upload limits per kind of file. */
export const UPLOAD_LIMITS: Record<MediaKind, number> = { image: 25 * MB, audio: 25 * MB, video: 50 * MB };

export const SUPPORTED_TYPES: Record<MediaKind, string> = {
	image: 'PNG, JPEG, WebP or GIF',
	video: 'MP4, MOV or WebM',
	audio: 'MP3, WAV, OGG or M4A',
};

export interface DetectedType {
	kind: MediaKind;
	mimeType: string;
	extension: string;
}

function text(head: Buffer, start: number, end: number): string {
	return head.subarray(start, end).toString('latin1');
}

/**
 * Tells the file type from its first bytes, as Apiframe does: the declared MIME type of n8n
 * binary data is often just application/octet-stream.
 */
export function detectMediaType(head: Buffer): DetectedType | undefined {
	if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47) return { kind: 'image', mimeType: 'image/png', extension: 'png' };
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', mimeType: 'image/jpeg', extension: 'jpg' };
	if (text(head, 0, 4) === 'GIF8') return { kind: 'image', mimeType: 'image/gif', extension: 'gif' };
	if (text(head, 0, 4) === 'RIFF' && text(head, 8, 12) === 'WEBP') return { kind: 'image', mimeType: 'image/webp', extension: 'webp' };
	if (text(head, 0, 4) === 'RIFF' && text(head, 8, 12) === 'WAVE') return { kind: 'audio', mimeType: 'audio/wav', extension: 'wav' };
	if (text(head, 0, 4) === 'OggS') return { kind: 'audio', mimeType: 'audio/ogg', extension: 'ogg' };
	if (text(head, 0, 3) === 'ID3') return { kind: 'audio', mimeType: 'audio/mpeg', extension: 'mp3' };
	if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && ((head[1] >> 1) & 0x03) !== 0) {
		return { kind: 'audio', mimeType: 'audio/mpeg', extension: 'mp3' };
	}
	if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return { kind: 'video', mimeType: 'video/webm', extension: 'webm' };
	if (text(head, 4, 8) === 'ftyp') {
		const brand = text(head, 8, 12);
		if (brand.startsWith('M4A') || brand.startsWith('M4B')) return { kind: 'audio', mimeType: 'audio/mp4', extension: 'm4a' };
		if (brand === 'qt  ') return { kind: 'video', mimeType: 'video/quicktime', extension: 'mov' };
		return { kind: 'video', mimeType: 'video/mp4', extension: 'mp4' };
	}
	if (['moov', 'mdat', 'wide', 'free'].includes(text(head, 4, 8))) {
		return { kind: 'video', mimeType: 'video/quicktime', extension: 'mov' };
	}
	return undefined;
}
