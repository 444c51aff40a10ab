import { detectMediaType } from '../../../../nodes/Seedance/media/mediaType';

const bytes = (...values: Array<number | string>) =>
	Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));

describe('file type from content', () => {
	it.each([
		['png', bytes(0x89, 'PNG\r\n', 0x1a, '\n'), 'image', 'image/png'],
		['jpeg', bytes(0xff, 0xd8, 0xff, 0xe0), 'image', 'image/jpeg'],
		['gif', bytes('GIF89a'), 'image', 'image/gif'],
		['webp', bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '), 'image', 'image/webp'],
		['wav', bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '), 'audio', 'audio/wav'],
		['mp3 with tag', bytes('ID3', 3, 0), 'audio', 'audio/mpeg'],
		['mp3 frame', bytes(0xff, 0xfb, 0x90, 0x00), 'audio', 'audio/mpeg'],
		['ogg', bytes('OggS', 0), 'audio', 'audio/ogg'],
		['m4a', bytes(0, 0, 0, 0x20, 'ftypM4A ', 0, 0, 0, 0), 'audio', 'audio/mp4'],
		['mp4', bytes(0, 0, 0, 0x20, 'ftypisom', 0, 0, 0, 0), 'video', 'video/mp4'],
		['mov', bytes(0, 0, 0, 0x14, 'ftypqt  ', 0, 0, 0, 0), 'video', 'video/quicktime'],
		['webm', bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f), 'video', 'video/webm'],
	])('recognises %s', (_name, head, kind, mimeType) => {
		expect(detectMediaType(head)).toMatchObject({ kind, mimeType });
	});

	it('does not guess for text or unknown bytes', () => {
		expect(detectMediaType(Buffer.from('hello, this is a text file'))).toBeUndefined();
		expect(detectMediaType(Buffer.alloc(0))).toBeUndefined();
	});
});
