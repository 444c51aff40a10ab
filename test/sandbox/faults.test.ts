import { createHash } from 'node:crypto';
import { request } from 'undici';
import type { Sandbox } from '../../sandbox';
import { MAX_RECORDED_REQUESTS } from '../../sandbox/state/recorder';
import { api, KEY, start, submit, waitForStatus } from './helpers';

describe('faults on demand', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start();
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.reset());

	it('answers one 429 with Retry-After, then behaves normally', async () => {
		sb.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 429, retryAfter: 2 });
		const limited = await submit(sb, { model: 'seedance-2', prompt: 'x' });
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('2');
		expect(limited.json).toEqual({ error: expect.any(String) });
		expect(sb.jobs.list()).toHaveLength(0);
		expect((await submit(sb, { model: 'seedance-2', prompt: 'x' })).status).toBe(202);
	});

	it('gives 429 a default Retry-After of 1', async () => {
		sb.faults.push({ status: 429 });
		expect((await api(sb, 'GET', '/v2/me')).headers['retry-after']).toBe('1');
	});

	it('skips requests the fault does not match', async () => {
		sb.faults.push({ method: 'GET', path: /^\/v2\/jobs\//, status: 503, times: 2 });
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);
		expect((await submit(sb, { model: 'seedance-2', prompt: 'x' })).status).toBe(202);
		const id = sb.jobs.list()[0].id;
		expect((await api(sb, 'GET', `/v2/jobs/${id}`)).status).toBe(503);
		expect((await api(sb, 'GET', `/v2/jobs/${id}`)).status).toBe(503);
		expect((await api(sb, 'GET', `/v2/jobs/${id}`)).status).toBe(200);
	});

	it('answers a stale job list as it stood staleMs ago, while a read by ID stays current', async () => {
		// The sandbox's jobs here: 50 ms queued, 300 ms processing.
		const older = (await submit(sb, { model: 'seedance-2', prompt: 'older' })).json.jobId as string;
		await waitForStatus(sb, older, 'COMPLETED');
		await new Promise((resolve) => setTimeout(resolve, 100));
		sb.faults.push({ method: 'GET', path: '/v2/jobs', staleMs: 380, forMs: 60_000 });
		const fresh = (await submit(sb, { model: 'seedance-2', prompt: 'fresh' })).json.jobId as string;
		const listed = (await api(sb, 'GET', '/v2/jobs')).json.jobs as Array<{ id: string; status: string }>;
		// Created 380 ms ago or earlier: the older job is there, in the state it had then (still processing).
		expect(listed.map((job) => job.id)).toEqual([older]);
		expect(listed[0].status).toBe('PROCESSING');
		expect((await api(sb, 'GET', `/v2/jobs/${fresh}`)).json.status).toBe('QUEUED');
		expect((await api(sb, 'GET', `/v2/jobs/${older}`)).json.status).toBe('COMPLETED');
		// Once its lag has passed, the list shows the new job too.
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(((await api(sb, 'GET', '/v2/jobs')).json.jobs as Array<{ id: string }>).map((job) => job.id)).toEqual([fresh, older]);
	});

	it('takes a stale list through the admin route', async () => {
		const pushed = await api(sb, 'POST', '/__sandbox/faults', { body: { method: 'GET', path: '/v2/jobs', staleMs: 3000, forMs: 60_000 } });
		expect(pushed.status).toBe(201);
		expect(pushed.json.faults).toEqual([expect.objectContaining({ path: '/v2/jobs', staleMs: 3000 })]);
		await submit(sb, { model: 'seedance-2', prompt: 'x' });
		expect((await api(sb, 'GET', '/v2/jobs')).json.jobs).toEqual([]);
	});

	it('uses a custom body and status', async () => {
		sb.faults.push({ status: 502, body: { error: 'Upstream media fetch failed', code: 'MEDIA' } });
		const res = await api(sb, 'GET', '/v2/me');
		expect(res.status).toBe(502);
		expect(res.json).toEqual({ error: 'Upstream media fetch failed', code: 'MEDIA' });
	});

	it('drops the connection without an answer', async () => {
		sb.faults.push({ path: '/v2/me', drop: true });
		await expect(api(sb, 'GET', '/v2/me')).rejects.toThrow();
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);
	});

	it('delays, then handles the request normally', async () => {
		sb.faults.push({ path: '/v2/me', delayMs: 1500 });
		const started = Date.now();
		const res = await api(sb, 'GET', '/v2/me');
		expect(res.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
		// The fault was used up: the next request is not held (a wide margin for a loaded machine).
		const quick = Date.now();
		await api(sb, 'GET', '/v2/me');
		expect(Date.now() - quick).toBeLessThan(1000);
	});

	it('applies a windowed fault to every matching request until it runs out: an outage', async () => {
		sb.faults.push({ path: '/v2/me', drop: true, forMs: 400 });
		expect(sb.faults.pending()).toEqual([expect.objectContaining({ drop: true, remainingMs: expect.any(Number) })]);
		for (let i = 0; i < 3; i++) await expect(api(sb, 'GET', '/v2/me')).rejects.toThrow();
		expect((await api(sb, 'GET', '/v2/models')).status).toBe(200);
		await new Promise((r) => setTimeout(r, 450));
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);
		expect(sb.faults.pending()).toEqual([]);
		expect(() => sb.faults.push({ status: 503, times: 2, forMs: 100 })).toThrow('not both');
	});

	it('resets a download after the given number of body bytes, then serves it whole', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 10, videoBytes: 512 * 1024 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x' })).json;
		await waitForStatus(sb, jobId, 'COMPLETED');
		sb.faults.push({ method: 'GET', path: `/files/${jobId}.mp4`, dropAfterBytes: 100000 });
		const res = await request(`${sb.url}/files/${jobId}.mp4`);
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-length']).toBe(String(512 * 1024));
		let received = 0;
		await expect(
			(async () => {
				for await (const chunk of res.body) received += (chunk as Buffer).length;
			})(),
		).rejects.toThrow();
		expect(received).toBeGreaterThan(0);
		expect(received).toBeLessThanOrEqual(100000);
		const whole = await request(`${sb.url}/files/${jobId}.mp4`);
		const bytes = Buffer.from(await whole.body.arrayBuffer());
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sb.videoSha256(jobId));
	});

	it('lists every billed job over HTTP, with its charge and refund', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 10 });
		const ok = (await submit(sb, { model: 'seedance-2', prompt: 'ok', seedanceParams: { duration: 4 } })).json.jobId;
		// A millisecond of its own, so that newest first is not decided by the IDs.
		await new Promise((resolve) => setTimeout(resolve, 2));
		const bad = (await submit(sb, { model: 'seedance-2', prompt: 'bad [sandbox:fail]', seedanceParams: { duration: 4 } })).json.jobId;
		await waitForStatus(sb, bad, 'FAILED');
		const res = await api(sb, 'GET', '/__sandbox/jobs');
		expect(res.status).toBe(200);
		expect(res.json.balance).toBe(sb.credits);
		expect(res.json.jobs.map((j: any) => [j.id, j.creditCost, j.refunded, j.input.prompt])).toEqual([
			[bad, 40, true, 'bad [sandbox:fail]'],
			[ok, 40, false, 'ok'],
		]);
	});

	it('takes faults over HTTP, with the admin key', async () => {
		expect((await api(sb, 'POST', '/__sandbox/faults', { key: null, body: { status: 500 } })).status).toBe(401);
		const pushed = await api(sb, 'POST', '/__sandbox/faults', { body: [{ pathRegex: '^/v2/jobs$', status: 500 }, { path: '/v2/me', status: 401, times: 1 }] });
		expect(pushed.status).toBe(201);
		expect(pushed.json.faults).toEqual([expect.objectContaining({ pathRegex: expect.stringContaining('jobs'), status: 500, remaining: 1 }), expect.objectContaining({ path: '/v2/me' })]);
		expect((await api(sb, 'GET', '/v2/jobs')).status).toBe(500);
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(401);
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);

		await api(sb, 'POST', '/__sandbox/faults', { body: { status: 503, times: 5 } });
		expect((await api(sb, 'GET', '/__sandbox/faults')).json.faults).toHaveLength(1);
		expect((await api(sb, 'DELETE', '/__sandbox/faults')).status).toBe(204);
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);

		const invalid = await api(sb, 'POST', '/__sandbox/faults', { body: { status: 418, bogus: 1 } });
		expect(invalid.status).toBe(400);
		expect(Object.keys(invalid.json.details).sort()).toEqual(['bogus', 'status']);

		const outage = await api(sb, 'POST', '/__sandbox/faults', { body: { pathRegex: '^/v2/', drop: true, forMs: 60000 } });
		expect(outage.json.faults).toEqual([expect.objectContaining({ drop: true, forMs: 60000, remainingMs: expect.any(Number) })]);
		await api(sb, 'DELETE', '/__sandbox/faults');
		const both = await api(sb, 'POST', '/__sandbox/faults', { body: { status: 503, times: 2, forMs: 1000 } });
		expect(both.status).toBe(400);
		expect(Object.keys(both.json.details)).toEqual(['forMs']);
	});

	it('exposes requests, webhooks, reset and options over HTTP', async () => {
		await api(sb, 'GET', '/v2/me');
		const requests = await api(sb, 'GET', '/__sandbox/requests');
		expect(requests.json.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/v2/me', status: 200 })]);
		expect(JSON.stringify(requests.json)).not.toContain(KEY);
		expect((await api(sb, 'GET', '/__sandbox/webhooks')).json).toEqual({ deliveries: [] });

		const options = await api(sb, 'POST', '/__sandbox/options', { body: { credits: 77, resultShape: 'string' } });
		expect(options.status).toBe(200);
		expect(options.json.options).toEqual(expect.objectContaining({ credits: 77, resultShape: 'string' }));
		expect((await api(sb, 'GET', '/v2/me')).json.team.credits).toBe(77);
		expect((await api(sb, 'POST', '/__sandbox/options', { body: { port: 1 } })).status).toBe(400);
		await api(sb, 'POST', '/__sandbox/options', { body: { credits: 100000, resultShape: 'object' } });

		await submit(sb, { model: 'seedance-2', prompt: 'x' });
		expect((await api(sb, 'POST', '/__sandbox/reset')).status).toBe(204);
		expect(sb.jobs.list()).toHaveLength(0);
		expect(sb.requests).toHaveLength(0);
	});

	it('counts every request by route, past the 5,000 it keeps, until a reset', async () => {
		const jobId = (await submit(sb, { model: 'seedance-2', prompt: 'x' })).json.jobId as string;
		const reads = MAX_RECORDED_REQUESTS + 10;
		for (let start = 0; start < reads; start += 500) {
			await Promise.all(Array.from({ length: Math.min(500, reads - start) }, () => api(sb, 'GET', `/v2/jobs/${jobId}`)));
		}
		await api(sb, 'GET', '/v2/jobs/not-a-uuid');
		const recorded = (await api(sb, 'GET', '/__sandbox/requests')).json;
		expect(recorded.requests).toHaveLength(MAX_RECORDED_REQUESTS);
		expect(recorded.counts).toEqual({
			'POST /v2/videos/generate': 1,
			'GET /v2/jobs/{id}': reads,
			'GET /v2/jobs/not-a-uuid': 1,
		});
		await api(sb, 'POST', '/__sandbox/reset');
		expect((await api(sb, 'GET', '/__sandbox/requests')).json.counts).toEqual({});
	});
});
