import { MultipartError, parseMultipart, type PartHeaders } from '../../sandbox/media/multipart';
import { sniffMedia } from '../../sandbox/media/sniff';

async function* chunked(data: Buffer, size: number) {
	for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(body: Buffer, boundary: string, chunkSize: number) {
	const parts: Array<{ headers: PartHeaders; data: Buffer }> = [];
	await parseMultipart(chunked(body, chunkSize), boundary, (headers) => {
		const part = { headers, data: Buffer.alloc(0) };
		parts.push(part);
		return {
			write: (c) => {
				part.data = Buffer.concat([part.data, c]);
			},
			end: () => undefined,
		};
	});
	return parts;
}

describe('streaming multipart parser', () => {
	const boundary = 'XyZ';
	const payload = Buffer.from('line1 --XyZ inline\r\n--XyQ near miss\r\n-- also not\r\n\r\n--X\r\nend\r\n--Xy');
	const body = Buffer.concat([
		Buffer.from('preamble\r\n--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue\r\n--XyZ\r\n'),
		Buffer.from('Content-Disposition: form-data; name="file"; filename="q \\"x\\".bin"\r\nContent-Type: image/png\r\n\r\n'),
		payload,
		Buffer.from('\r\n--XyZ--\r\nepilogue'),
	]);

	it.each([1, 2, 3, 7, 64, 100000])('gives the same parts for chunks of %i bytes', async (size) => {
		const parts = await collect(body, boundary, size);
		expect(parts.map((p) => p.headers)).toEqual([
			{ name: 'a', filename: null, contentType: null },
			{ name: 'file', filename: 'q "x".bin', contentType: 'image/png' },
		]);
		expect(parts[0].data.toString()).toBe('value');
		expect(parts[1].data.equals(payload)).toBe(true);
	});

	it('rejects a truncated body', async () => {
		await expect(collect(body.subarray(0, body.length - 20), boundary, 16)).rejects.toBeInstanceOf(MultipartError);
	});
});

describe('magic-byte sniffing', () => {
	const cases: Array<[string, Buffer, string | null]> = [
		['png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png'],
		['jpeg', Buffer.from('ffd8ffe000104a464946000101000001', 'hex'), 'image/jpeg'],
		['gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00', 'latin1'), 'image/gif'],
		['webp', Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp'],
		['wav', Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'), 'audio/wav'],
		['webm', Buffer.from('1a45dfa3a34286810142f7810142f281', 'hex'), 'video/webm'],
		['mp4', Buffer.from('\x00\x00\x00\x20ftypisom\x00\x00\x02\x00', 'latin1'), 'video/mp4'],
		['mov', Buffer.from('\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00', 'latin1'), 'video/quicktime'],
		['m4a', Buffer.from('\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00', 'latin1'), 'audio/mp4'],
		['ogg', Buffer.from('OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'), 'audio/ogg'],
		['mp3 id3', Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'), 'audio/mpeg'],
		['mp3 frame', Buffer.from('fffb9064000000000000000000000000', 'hex'), 'audio/mpeg'],
		['aac adts', Buffer.from('fff15080000000000000000000000000', 'hex'), null],
		['text', Buffer.from('hello world, plain'), null],
		['pdf', Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), null],
	];
	it.each(cases)('%s', (_name, head, type) => {
		expect(sniffMedia(head)?.contentType ?? null).toBe(type);
	});
});
