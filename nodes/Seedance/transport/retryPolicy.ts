/**
 * When a failed Apiframe call is tried again, and after how long. Pure, so it can be tested alone.
 *
 * 429 means the request was not processed, so it is always safe to repeat. 5xx and network errors
 * may hide a request that was processed: they are repeated only when repeating cannot bill twice,
 * that is for reads and for submits that carry an Idempotency-Key (the API then replays the job).
 */
export interface AttemptOutcome {
	status?: number;
	networkError?: boolean;
	retryAfterHeader?: string | string[];
}

/** Attempts of a request answered 429 without a Retry-After: its back-off waits add up to 31 s. */
export const MAX_ATTEMPTS = 6;
/**
 * Network errors and 5xx of a request that is safe to repeat: the waits (1, 2, 4, 8, 16, 16, 16 s)
 * add up to 63 s, so Apiframe or its CDN being unreachable for up to a minute costs no item. Six
 * attempts covered 31 s, which a 30 s outage cleared by one second.
 */
export const MAX_TRANSIENT_ATTEMPTS = 8;
const MAX_WAIT_MS = 60_000;

export function backoffMs(attempt: number): number {
	return Math.min(1000 * 2 ** (attempt - 1), 16_000);
}

/**
 * How long a rate limit may hold one request back in all: what the back-off alone waits over
 * MAX_ATTEMPTS attempts. Short Retry-Afters may then take more attempts, so that a storm of up to
 * this length costs what it lasts instead of failing the item after a few seconds. Each retry
 * counts at least a second (Retry-After's unit), so `Retry-After: 0` cannot repeat a request forever.
 */
export const MAX_THROTTLED_WAIT_MS = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffMs(i + 1)).reduce((a, b) => a + b, 0);
const LEAST_COUNTED_WAIT_MS = 1000;

/** What one 429's wait counts against MAX_THROTTLED_WAIT_MS. */
export function countedThrottleMs(wait: number): number {
	return Math.max(wait, LEAST_COUNTED_WAIT_MS);
}

export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function isRetryableStatus(status: number): boolean {
	return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * How long a 429 asks every request to hold back: the Retry-After exactly, on any attempt, the last
 * one included (capped at a minute); the back-off when Apiframe did not say.
 */
export function throttleMs(attempt: number, retryAfterHeader: string | string[] | undefined, now = Date.now()): number {
	return Math.min(parseRetryAfter(retryAfterHeader, now) ?? backoffMs(attempt), MAX_WAIT_MS);
}

/**
 * Returns the wait before the next attempt, or undefined when the outcome is final. `waitedMs`:
 * what the request's earlier 429s count against MAX_THROTTLED_WAIT_MS (see countedThrottleMs).
 */
export function nextRetryDelay(
	attempt: number,
	outcome: AttemptOutcome,
	repeatable: boolean,
	waitedMs = 0,
): number | undefined {
	if (outcome.status === 429) {
		const wait = throttleMs(attempt, outcome.retryAfterHeader);
		const asked = parseRetryAfter(outcome.retryAfterHeader) !== undefined;
		if (attempt < MAX_ATTEMPTS || (asked && waitedMs + countedThrottleMs(wait) <= MAX_THROTTLED_WAIT_MS)) return wait;
		return undefined;
	}
	const transient = outcome.networkError || (outcome.status !== undefined && isRetryableStatus(outcome.status));
	if (transient && repeatable && attempt < MAX_TRANSIENT_ATTEMPTS) {
		const asked = parseRetryAfter(outcome.retryAfterHeader);
		return Math.min(asked ?? backoffMs(attempt), MAX_WAIT_MS);
	}
	return undefined;
}
