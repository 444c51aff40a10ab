import type { Sandbox } from '../../sandbox';
import { FULL_BODIES, SCHEMA_INVALID } from './fixtures';
import { api, start, submit } from './helpers';

describe('POST /v2/videos/generate validation', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(() => sb.close());

	it.each(Object.entries(FULL_BODIES))('accepts a full valid body for %s', async (_model, body) => {
		sb.reset();
		// the 1.5-pro fixture points at a registered asset
		const asset = await api(sb, 'POST', '/v2/assets/create', { body: { url: 'https://example.com/start.png', type: 'image' } });
		const json = JSON.parse(JSON.stringify(body).replace('asset://placeholder', `asset://${asset.json.assetId}`));
		const res = await submit(sb, json);
		expect(res.status).toBe(202);
		expect(res.json).toEqual({ jobId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'QUEUED' });
	});

	it.each(SCHEMA_INVALID.map((c) => [c.name, c] as const))('rejects %s with details at its path', async (_name, c) => {
		const res = await submit(sb, c.body);
		expect(res.status).toBe(400);
		expect(res.json.error).toBe('Validation failed');
		expect(Object.keys(res.json.details)).toContain(c.path);
		expect(res.json.details[c.path].every((m: unknown) => typeof m === 'string')).toBe(true);
	});

	it('accepts a 4000-character prompt', async () => {
		expect((await submit(sb, { model: 'seedance-2', prompt: 'p'.repeat(4000) })).status).toBe(202);
	});

	it('reports every problem at once', async () => {
		const res = await submit(sb, { model: 'seedance-2-fast', prompt: '', extra: 1, seedanceParams: { resolution: '1080p', foo: true } });
		expect(Object.keys(res.json.details).sort()).toEqual(['extra', 'prompt', 'seedanceParams.foo', 'seedanceParams.resolution']);
	});

	it('rejects reference audio without a reference image or video', async () => {
		const res = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { reference_audio_urls: ['https://example.com/a.mp3'] } });
		expect(res.status).toBe(400);
		expect(res.json.details['seedanceParams.reference_audio_urls']).toBeDefined();
	});

	it('rejects first/last frames mixed with reference media', async () => {
		const res = await submit(sb, {
			model: 'seedance-2',
			prompt: 'x',
			seedanceParams: { start_image: 'https://example.com/s.png', end_image: 'https://example.com/e.png', reference_video_urls: ['https://example.com/v.mp4'] },
		});
		expect(res.status).toBe(400);
		expect(Object.keys(res.json.details).sort()).toEqual(['seedanceParams.end_image', 'seedanceParams.start_image']);
	});

	it('rejects more than 12 reference files in total', async () => {
		const urls = (n: number, ext: string) => Array.from({ length: n }, (_, i) => `https://example.com/${i}.${ext}`);
		const res = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { reference_image_urls: urls(9, 'png'), reference_video_urls: urls(3, 'mp4'), reference_audio_urls: urls(1, 'mp3') } });
		expect(res.status).toBe(400);
		expect(res.json.details.seedanceParams).toBeDefined();
	});

	it('accepts asset:// media only for registered assets', async () => {
		const unknown = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { start_image: 'asset://nope' } });
		expect(unknown.status).toBe(400);
		expect(unknown.json.details['seedanceParams.start_image']).toBeDefined();
		const created = await api(sb, 'POST', '/v2/assets/create', { body: { url: 'https://example.com/s.png', type: 'image' } });
		expect(created.status).toBe(201);
		expect(created.json).toEqual({ assetId: expect.any(String) });
		const ok = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { start_image: `asset://${created.json.assetId}` } });
		expect(ok.status).toBe(202);
		const bad = await api(sb, 'POST', '/v2/assets/create', { body: { url: 'ftp://x', type: 'doc' } });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.json.details).sort()).toEqual(['type', 'url']);
	});

	it('rejects non-http URL schemes in media fields', async () => {
		const res = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { start_image: 'ftp://example.com/a.png' } });
		expect(res.status).toBe(400);
	});

	it('answers 400 for malformed JSON and for a non-object body', async () => {
		const malformed = await api(sb, 'POST', '/v2/videos/generate', { rawBody: '{"model": ', headers: { 'content-type': 'application/json' } });
		expect(malformed.status).toBe(400);
		expect(typeof malformed.json.error).toBe('string');
		const array = await submit(sb, [1, 2]);
		expect(array.status).toBe(400);
	});

	it('answers 400 for an Idempotency-Key over 255 characters', async () => {
		const res = await submit(sb, { model: 'seedance-2', prompt: 'x' }, { 'idempotency-key': 'k'.repeat(256) });
		expect(res.status).toBe(400);
		expect(res.json.details['Idempotency-Key']).toBeDefined();
		expect((await submit(sb, { model: 'seedance-2', prompt: 'x' }, { 'idempotency-key': 'k'.repeat(255) })).status).toBe(202);
	});
});
