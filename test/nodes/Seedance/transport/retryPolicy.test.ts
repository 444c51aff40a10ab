import * as retryPolicy from '../../../../nodes/Seedance/transport/retryPolicy';
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

describe('a rate limit costs what Apiframe asks, on every attempt', () => {
	/** The waits a request answered 429 with this Retry-After every time goes through, until it gives up. */
	function stormWaits(retryAfterHeader?: string): number[] {
		const waits: number[] = [];
		for (let attempt = 1; ; attempt++) {
			const counted = waits.reduce((sum, w) => sum + Math.max(w, 1000), 0);
			const wait = nextRetryDelay(attempt, { status: 429, retryAfterHeader }, true, counted);
			if (wait === undefined) return waits;
			waits.push(wait);
		}
	}

	it("holds back for the last attempt's Retry-After exactly, not for the back-off", () => {
		// What a 429 without a retry left still tells every other request of the execution.
		expect(typeof retryPolicy.throttleMs).toBe('function');
		expect(retryPolicy.throttleMs(MAX_ATTEMPTS, '1')).toBe(1000);
		expect(retryPolicy.throttleMs(MAX_ATTEMPTS + 3, '2.5')).toBe(2500);
		expect(retryPolicy.throttleMs(MAX_ATTEMPTS, '3600')).toBe(60_000);
		// Without a Retry-After the back-off is as it was.
		expect(retryPolicy.throttleMs(MAX_ATTEMPTS, undefined)).toBe(16_000);
		expect(retryPolicy.throttleMs(2, undefined)).toBe(2000);
	});

	it('retries a storm of 1 s Retry-Afters 1 s apart for 31 s, so an 8 s storm fails nothing', () => {
		const waits = stormWaits('1');
		expect(waits.every((wait) => wait === 1000)).toBe(true);
		expect(waits.length).toBe(31);
		expect(stormWaits('2').length).toBe(15);
	});

	it('keeps the back-off, and its six attempts, when Apiframe names no wait', () => {
		expect(stormWaits(undefined)).toEqual([1000, 2000, 4000, 8000, 16_000]);
		// A long Retry-After never takes fewer attempts than the back-off would.
		expect(stormWaits('60')).toEqual([60_000, 60_000, 60_000, 60_000, 60_000]);
	});

	it('counts each retry as a second at least, so Retry-After: 0 cannot repeat a request forever', () => {
		expect(stormWaits('0')).toHaveLength(31);
	});
});
