import type { Sandbox } from '../../sandbox';
import { api, INACTIVE_KEY, KEY, start } from './helpers';

describe('sandbox auth and envelope', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(() => sb.close());

	it('answers 401 without a key and with an unknown key, as {"error"}', async () => {
		const missing = await api(sb, 'GET', '/v2/me', { key: null });
		expect(missing.status).toBe(401);
		expect(typeof missing.json.error).toBe('string');
		const unknown = await api(sb, 'GET', '/v2/me', { key: 'afk_nope' });
		expect(unknown.status).toBe(401);
		expect(Object.keys(unknown.json)).toEqual(['error']);
	});

	it('answers 403 for the inactive key', async () => {
		const res = await api(sb, 'POST', '/v2/videos/generate', { key: INACTIVE_KEY, body: { model: 'seedance-2', prompt: 'x' } });
		expect(res.status).toBe(403);
		expect(res.json.error).toMatch(/inactive/i);
	});

	it('accepts Authorization: Bearer', async () => {
		const res = await api(sb, 'GET', '/v2/me', { key: null, headers: { authorization: `Bearer ${KEY}` } });
		expect(res.status).toBe(200);
	});

	it('puts a unique x-request-id on every answer, errors included', async () => {
		const answers = await Promise.all([
			api(sb, 'GET', '/v2/me'),
			api(sb, 'GET', '/v2/me', { key: null }),
			api(sb, 'GET', '/nowhere'),
			api(sb, 'GET', '/v2/models'),
		]);
		const ids = answers.map((a) => a.headers['x-request-id']);
		ids.forEach((id) => expect(typeof id).toBe('string'));
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('serves the model catalogue without a key', async () => {
		const res = await api(sb, 'GET', '/v2/models?modality=video', { key: null });
		expect(res.status).toBe(200);
		expect(res.json.models).toHaveLength(8);
		for (const entry of res.json.models) {
			expect(entry).toEqual(expect.objectContaining({ modality: 'video', pricingMode: 'per-second' }));
			expect(entry.costMax).toBeGreaterThanOrEqual(entry.costMin);
		}
		expect((await api(sb, 'GET', '/v2/models?modality=image', { key: null })).json.models).toEqual([]);
		expect((await api(sb, 'GET', '/v2/models?modality=sound', { key: null })).status).toBe(400);
	});

	it('answers 404 for unknown routes and 405 for a wrong method', async () => {
		expect((await api(sb, 'GET', '/v2/unknown')).status).toBe(404);
		const res = await api(sb, 'DELETE', '/v2/me');
		expect(res.status).toBe(405);
		expect(res.headers.allow).toBe('GET');
	});

	it('records requests with the key redacted and the parsed body', async () => {
		sb.reset();
		await api(sb, 'POST', '/v2/videos/generate', { body: { model: 'seedance-2', prompt: 'record me' } });
		await api(sb, 'GET', '/v2/me', { key: null, headers: { authorization: `Bearer ${KEY}` } });
		const [post, me] = sb.requests;
		expect(post).toEqual(expect.objectContaining({ method: 'POST', path: '/v2/videos/generate', status: 202, body: { model: 'seedance-2', prompt: 'record me' } }));
		expect(post.headers['x-api-key']).toBe('[redacted]');
		expect(me.headers.authorization).toBe('Bearer [redacted]');
		expect(JSON.stringify(sb.requests)).not.toContain(KEY);
	});
});
