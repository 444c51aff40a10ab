import { request } from 'undici';
import type { Sandbox } from '../../sandbox';
import { validateAgainstComponent } from '../../sandbox/openapi';
import { api, KEY, start } from './helpers';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

function multipart(parts: Array<{ name: string; filename?: string; type?: string; data: Buffer }>): { body: Buffer; contentType: string } {
	const boundary = '----sandboxTestBoundary7MA4YWxkTrZu0gW';
	const chunks: Buffer[] = [];
	for (const p of parts) {
		const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`), p.data, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(sb: Sandbox, form: { body: Buffer; contentType: string }) {
	const res = await request(`${sb.url}/v2/uploads`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': form.contentType }, body: form.body });
	return { status: res.statusCode, json: (await res.body.json()) as any };
}

describe('POST /v2/uploads', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(() => sb.close());

	it('accepts a PNG as an image whatever its declared type, and serves it back', async () => {
		const data = Buffer.concat([PNG_HEAD, Buffer.alloc(5000, 7)]);
		const res = await upload(sb, multipart([{ name: 'note', data: Buffer.from('hello') }, { name: 'file', filename: 'x.bin', type: 'application/octet-stream', data }]));
		expect(res.status).toBe(201);
		expect(res.json).toEqual({ id: expect.any(String), url: `${sb.url}/uploads/${res.json.id}`, kind: 'image', contentType: 'image/png', byteSize: data.length, expiresAt: expect.any(String) });
		expect(validateAgainstComponent('Upload', res.json).errors).toEqual([]);
		const served = await request(res.json.url);
		expect(served.headers['content-type']).toBe('image/png');
		expect(Buffer.from(await served.body.arrayBuffer()).equals(data)).toBe(true);
	});

	it('works with the multipart body global fetch builds', async () => {
		const form = new FormData();
		form.append('file', new Blob([Buffer.concat([PNG_HEAD, Buffer.alloc(100)])], { type: 'text/plain' }), 'frame.png');
		const res = await fetch(`${sb.url}/v2/uploads`, { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
		expect(res.status).toBe(201);
		expect(((await res.json()) as any).kind).toBe('image');
	});

	it('sniffs video and audio kinds', async () => {
		const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(100)]);
		expect((await upload(sb, multipart([{ name: 'file', filename: 'a.mp4', data: mp4 }]))).json).toEqual(expect.objectContaining({ kind: 'video', contentType: 'video/mp4' }));
		const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(100)]);
		expect((await upload(sb, multipart([{ name: 'file', filename: 'a.mp3', data: mp3 }]))).json).toEqual(expect.objectContaining({ kind: 'audio', contentType: 'audio/mpeg' }));
	});

	it('rejects a text file even when declared as an image', async () => {
		const res = await upload(sb, multipart([{ name: 'file', filename: 'a.png', type: 'image/png', data: Buffer.from('just some text, not an image at all') }]));
		expect(res.status).toBe(400);
		expect(res.json.details.file).toEqual([expect.stringMatching(/unsupported/i)]);
		expect(validateAgainstComponent('ValidationError', res.json).errors).toEqual([]);
	});

	it('rejects an image over 25 MB', async () => {
		const data = Buffer.concat([PNG_HEAD, Buffer.alloc(25 * 1024 * 1024)]);
		const res = await upload(sb, multipart([{ name: 'file', filename: 'big.png', data }]));
		expect(res.status).toBe(400);
		expect(res.json.details.file).toEqual([expect.stringMatching(/25 MB/)]);
	});

	it('rejects a request without a file', async () => {
		const res = await upload(sb, multipart([{ name: 'other', data: Buffer.from('x') }]));
		expect(res.status).toBe(400);
		expect(res.json.details.file).toBeDefined();
		const notMultipart = await api(sb, 'POST', '/v2/uploads', { body: { file: 'x' } });
		expect(notMultipart.status).toBe(400);
	});

	it('needs a key', async () => {
		const res = await request(`${sb.url}/v2/uploads`, { method: 'POST', body: 'x' });
		await res.body.dump();
		expect(res.statusCode).toBe(401);
	});
});
