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

/** Returns the wait before the next attempt, or undefined when the outcome is final. */
export function nextRetryDelay(
	attempt: number,
	outcome: AttemptOutcome,
	repeatable: boolean,
): number | undefined {
	if (outcome.status === 429) {
		if (attempt >= MAX_ATTEMPTS) return undefined;
		const asked = parseRetryAfter(outcome.retryAfterHeader);
		return Math.min(asked ?? backoffMs(attempt), MAX_WAIT_MS);
	}
	const transient = outcome.networkError || (outcome.status !== undefined && isRetryableStatus(outcome.status));
	if (transient && repeatable && attempt < MAX_TRANSIENT_ATTEMPTS) {
		const asked = parseRetryAfter(outcome.retryAfterHeader);
		return Math.min(asked ?? backoffMs(attempt), MAX_WAIT_MS);
	}
	return undefined;
}
