export type MediaKind = 'image' | 'video' | 'audio';

export interface SniffedType {
	kind: MediaKind;
	contentType: string;
}

/** Enough leading bytes for every signature below. */
export const SNIFF_BYTES = 16;

const MB = 1024 * 1024;
export const UPLOAD_LIMITS: Record<MediaKind, number> = { image: 25 * MB, audio: 25 * MB, video: 50 * MB };
export const MAX_UPLOAD_BYTES = Math.max(...Object.values(UPLOAD_LIMITS));

export const SUPPORTED_UPLOAD_TYPES = 'PNG, JPEG, WebP, GIF, MP4, WebM, MOV, MP3, WAV, OGG, M4A';

const QUICKTIME_TOP_BOXES = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
const M4A_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ']);

function ascii(head: Buffer, start: number, end: number): string {
	return head.subarray(start, end).toString('latin1');
}

function isMp3Frame(head: Buffer): boolean {
	if (head.length < 2 || head[0] !== 0xff || (head[1] & 0xe0) !== 0xe0) return false;
	const version = (head[1] >> 3) & 0x03;
	const layer = (head[1] >> 1) & 0x03;
	// layer 0 is ADTS AAC, version 1 is reserved: neither is MP3
	return version !== 1 && layer !== 0;
}

/** Decides the type from the bytes alone; the declared content type is never trusted. */
export function sniffMedia(head: Buffer): SniffedType | null {
	if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { kind: 'image', contentType: 'image/png' };
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: 'image', contentType: 'image/jpeg' };
	if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return { kind: 'image', contentType: 'image/gif' };
	if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF') {
		const form = ascii(head, 8, 12);
		if (form === 'WEBP') return { kind: 'image', contentType: 'image/webp' };
		if (form === 'WAVE') return { kind: 'audio', contentType: 'audio/wav' };
		return null;
	}
	if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return { kind: 'video', contentType: 'video/webm' };
	if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
		const brand = ascii(head, 8, 12);
		if (brand === 'qt  ') return { kind: 'video', contentType: 'video/quicktime' };
		if (M4A_BRANDS.has(brand)) return { kind: 'audio', contentType: 'audio/mp4' };
		return { kind: 'video', contentType: 'video/mp4' };
	}
	if (head.length >= 8 && QUICKTIME_TOP_BOXES.has(ascii(head, 4, 8))) return { kind: 'video', contentType: 'video/quicktime' };
	if (head.length >= 4 && ascii(head, 0, 4) === 'OggS') return { kind: 'audio', contentType: 'audio/ogg' };
	if (head.length >= 3 && ascii(head, 0, 3) === 'ID3') return { kind: 'audio', contentType: 'audio/mpeg' };
	if (isMp3Frame(head)) return { kind: 'audio', contentType: 'audio/mpeg' };
	return null;
}
