import type { Sandbox } from '../../sandbox';
import { RateLimiter } from '../../sandbox/state/rate-limit';
import { api, start } from './helpers';

describe('rate-limit mode', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start({ rateLimitPerSecond: 5 });
	});
	afterEach(() => sb.reset());
	afterAll(() => sb.close());

	it('answers 429 with Retry-After once a key has made its requests for the second', async () => {
		const statuses: number[] = [];
		let retryAfter: unknown;
		for (let i = 0; i < 8; i++) {
			const res = await api(sb, 'GET', '/v2/jobs');
			statuses.push(res.status);
			if (res.status === 429) retryAfter ??= res.headers['retry-after'];
		}
		expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
		expect(statuses.slice(5)).toEqual([429, 429, 429]);
		expect(retryAfter).toBe('1');
		// Refused requests are recorded like any other, so a test can count them.
		expect(sb.requests.filter((r) => r.status === 429)).toHaveLength(3);
	});

	it('leaves result files and the admin routes alone, and is off at 0', async () => {
		for (let i = 0; i < 5; i++) await api(sb, 'GET', '/v2/me');
		expect((await api(sb, 'GET', '/v2/models?modality=video')).status).toBe(200);
		expect((await api(sb, 'GET', '/__sandbox/options')).status).toBe(200);
		expect((await api(sb, 'GET', '/v2/me')).status).toBe(429);

		sb.setOptions({ rateLimitPerSecond: 0 });
		try {
			for (let i = 0; i < 20; i++) expect((await api(sb, 'GET', '/v2/me')).status).toBe(200);
		} finally {
			sb.setOptions({ rateLimitPerSecond: 5 });
		}
	});
});

describe('RateLimiter', () => {
	it('refills at the rate, up to one second of requests, and names the wait in whole seconds', () => {
		const limiter = new RateLimiter();
		const t0 = 1_000_000;
		for (let i = 0; i < 2; i++) expect(limiter.take('k', 2, t0)).toBeNull();
		expect(limiter.take('k', 2, t0)).toBe(1);
		expect(limiter.take('other', 2, t0)).toBeNull();
		expect(limiter.take('k', 2, t0 + 500)).toBeNull();
		expect(limiter.take('k', 2, t0 + 500)).toBe(1);
		// A long pause refills no more than one second's worth.
		for (let i = 0; i < 2; i++) expect(limiter.take('k', 2, t0 + 60_000)).toBeNull();
		expect(limiter.take('k', 2, t0 + 60_000)).toBe(1);
		expect(limiter.take('slow', 0.25, t0)).toBeNull();
		expect(limiter.take('slow', 0.25, t0)).toBe(4);
	});
});
