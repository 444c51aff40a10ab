import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { Sandbox } from '../../sandbox';
import { createVideoStream, videoFileSize, videoSha256 } from '../../sandbox';
import { api, start, submit, waitForStatus } from './helpers';

const FIVE_MB = 5 * 1024 * 1024;
const hasFfprobe = spawnSync('ffprobe', ['-version']).status === 0;

async function download(url: string, headers: Record<string, string> = {}) {
	const res = await request(url, { headers });
	const bytes = Buffer.from(await res.body.arrayBuffer());
	return { status: res.statusCode, headers: res.headers, bytes };
}

describe('result files', () => {
	let sb: Sandbox;
	let jobId: string;
	beforeAll(async () => {
		sb = await start({ queueMs: 0, processingMs: 30, videoBytes: FIVE_MB });
		jobId = (await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { return_last_frame: true } })).json.jobId;
		await waitForStatus(sb, jobId, 'COMPLETED');
	});
	afterAll(() => sb.close());

	it('serves an MP4 of exactly videoBytes, starting with an ftyp box, without a key', async () => {
		const { status, headers, bytes } = await download(`${sb.url}/files/${jobId}.mp4`);
		expect(status).toBe(200);
		expect(headers['content-type']).toBe('video/mp4');
		expect(headers['content-length']).toBe(String(FIVE_MB));
		expect(bytes.length).toBe(FIVE_MB);
		expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
		expect(bytes.readUInt32BE(0)).toBeGreaterThanOrEqual(16);
	});

	it('is a sequence of top-level boxes ending exactly at the file size', async () => {
		const { bytes } = await download(`${sb.url}/files/${jobId}.mp4`);
		const types: string[] = [];
		let offset = 0;
		while (offset < bytes.length) {
			const size = bytes.readUInt32BE(offset);
			types.push(bytes.subarray(offset + 4, offset + 8).toString('latin1'));
			expect(size).toBeGreaterThanOrEqual(8);
			offset += size;
		}
		expect(offset).toBe(bytes.length);
		expect(types[0]).toBe('ftyp');
		expect(types).toEqual(expect.arrayContaining(['moov', 'mdat']));
		expect(types[types.length - 1]).toBe('free');
	});

	it('serves deterministic bytes that match the exported stream and hash', async () => {
		const a = await download(`${sb.url}/files/${jobId}.mp4`);
		const b = await download(`${sb.url}/files/${jobId}.mp4`);
		const sha = createHash('sha256').update(a.bytes).digest('hex');
		expect(createHash('sha256').update(b.bytes).digest('hex')).toBe(sha);
		expect(await sb.videoSha256(jobId)).toBe(sha);
		expect(await videoSha256(jobId, FIVE_MB)).toBe(sha);
		const chunks: Buffer[] = [];
		for await (const chunk of sb.createVideoStream(jobId)) chunks.push(chunk as Buffer);
		expect(Buffer.concat(chunks).equals(a.bytes)).toBe(true);
	});

	it('differs between jobs', async () => {
		expect(await videoSha256('11111111-1111-4111-8111-111111111111', FIVE_MB)).not.toBe(await videoSha256(jobId, FIVE_MB));
	});

	it('honours a byte range and HEAD', async () => {
		const whole = (await download(`${sb.url}/files/${jobId}.mp4`)).bytes;
		const part = await download(`${sb.url}/files/${jobId}.mp4`, { range: 'bytes=1000-1999' });
		expect(part.status).toBe(206);
		expect(part.headers['content-range']).toBe(`bytes 1000-1999/${FIVE_MB}`);
		expect(part.bytes.equals(whole.subarray(1000, 2000))).toBe(true);
		const tail = await download(`${sb.url}/files/${jobId}.mp4`, { range: 'bytes=-10' });
		expect(tail.bytes.equals(whole.subarray(whole.length - 10))).toBe(true);
		expect((await download(`${sb.url}/files/${jobId}.mp4`, { range: `bytes=${FIVE_MB}-` })).status).toBe(416);
		const head = await request(`${sb.url}/files/${jobId}.mp4`, { method: 'HEAD' });
		await head.body.dump();
		expect(head.headers['content-length']).toBe(String(FIVE_MB));
	});

	it('serves the last frame as a PNG', async () => {
		const { status, headers, bytes } = await download(`${sb.url}/files/${jobId}-last-frame.png`);
		expect(status).toBe(200);
		expect(headers['content-type']).toBe('image/png');
		expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
	});

	it('answers 404 for unknown, unfinished and expired jobs', async () => {
		expect((await api(sb, 'GET', '/files/00000000-0000-4000-8000-000000000000.mp4', { key: null })).status).toBe(404);
		const slow = (await submit(sb, { model: 'seedance-2', prompt: '[sandbox:slow=60000]' })).json.jobId;
		expect((await api(sb, 'GET', `/files/${slow}.mp4`, { key: null })).status).toBe(404);
		sb.jobs.completeNow(slow);
		expect((await api(sb, 'GET', `/files/${slow}-last-frame.png`, { key: null })).status).toBe(404);
		expect((await download(`${sb.url}/files/${slow}.mp4`)).status).toBe(200);
		sb.jobs.expire(slow);
		expect((await api(sb, 'GET', `/files/${slow}.mp4`, { key: null })).status).toBe(404);
	});

	it('sizes files exactly except below the sample and within the smallest box above it', () => {
		const sample = videoFileSize(0);
		expect(sample).toBeGreaterThan(1000);
		expect(videoFileSize(sample + 3)).toBe(sample + 8);
		expect(videoFileSize(sample + 8)).toBe(sample + 8);
		expect(videoFileSize(300 * 1024 * 1024)).toBe(300 * 1024 * 1024);
	});

	it('streams a 5 GB file header with a 64-bit free box', async () => {
		const size = 5 * 1024 * 1024 * 1024;
		const sample = videoFileSize(0);
		const stream = createVideoStream('22222222-2222-4222-8222-222222222222', size, sample, sample + 15);
		const chunks: Buffer[] = [];
		for await (const c of stream) chunks.push(c as Buffer);
		const header = Buffer.concat(chunks);
		expect(header.readUInt32BE(0)).toBe(1);
		expect(header.subarray(4, 8).toString('latin1')).toBe('free');
		expect(Number(header.readBigUInt64BE(8))).toBe(size - sample);
	});

	(hasFfprobe ? it : it.skip)('still probes as H.264 video when padded to 50 MB (needs ffprobe)', async () => {
		sb.setOptions({ videoBytes: 50 * 1024 * 1024 });
		const id = (await submit(sb, { model: 'seedance-2', prompt: 'x' })).json.jobId;
		await waitForStatus(sb, id, 'COMPLETED');
		const out = await new Promise<string>((resolve, reject) =>
			execFile('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration,size', '-of', 'json', `${sb.url}/files/${id}.mp4`], (err, stdout) => (err ? reject(err) : resolve(stdout))),
		);
		const probe = JSON.parse(out);
		expect(probe.streams).toEqual(expect.arrayContaining([{ codec_type: 'video', codec_name: 'h264' }]));
		expect(Number(probe.format.size)).toBe(50 * 1024 * 1024);
		expect(Number(probe.format.duration)).toBeGreaterThan(1);
	});
});
