import { MAX_ATTEMPTS, MAX_TRANSIENT_ATTEMPTS, nextRetryDelay, parseRetryAfter } from '../../../../nodes/Seedance/transport/retryPolicy';

describe('which failures are retried', () => {
	it('honours Retry-After seconds and dates on 429, for any request', () => {
		expect(nextRetryDelay(1, { status: 429, retryAfterHeader: '3' }, false)).toBe(3000);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
	});

	it('caps a very long Retry-After and backs off without one', () => {
		expect(nextRetryDelay(1, { status: 429, retryAfterHeader: '3600' }, false)).toBe(60_000);
		expect(nextRetryDelay(2, { status: 429 }, false)).toBe(2000);
	});

	it('retries 5xx and network errors only when repeating cannot bill twice', () => {
		for (const status of [500, 502, 503, 504]) {
			expect(nextRetryDelay(1, { status }, true)).toBe(1000);
			expect(nextRetryDelay(1, { status }, false)).toBeUndefined();
		}
		expect(nextRetryDelay(3, { networkError: true }, true)).toBe(4000);
		expect(nextRetryDelay(3, { networkError: true }, false)).toBeUndefined();
	});

	it('never retries client errors', () => {
		for (const status of [400, 401, 402, 403, 404, 409]) {
			expect(nextRetryDelay(1, { status }, true)).toBeUndefined();
		}
	});

	it('gives up after the last attempt', () => {
		expect(nextRetryDelay(MAX_ATTEMPTS, { status: 429 }, true)).toBeUndefined();
		expect(nextRetryDelay(MAX_TRANSIENT_ATTEMPTS, { networkError: true }, true)).toBeUndefined();
	});

	it('waits out an outage of a minute for a request that is safe to repeat', () => {
		const waits = [];
		for (let attempt = 1; ; attempt++) {
			const wait = nextRetryDelay(attempt, { networkError: true }, true);
			if (wait === undefined) break;
			waits.push(wait);
		}
		expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000, 16_000]);
		expect(waits.reduce((sum, wait) => sum + wait, 0)).toBeGreaterThan(60_000);
	});
});
