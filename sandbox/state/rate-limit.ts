/**
 * Requests per second per API key, as a token bucket holding one second's worth (at least one request): a client may
 * burst up to the rate, then gets 429 with the whole seconds until a request is allowed again in
 * Retry-After (Apiframe publishes no numbers; the OpenAPI file promises only the header).
 */
export class RateLimiter {
	private readonly buckets = new Map<string, { tokens: number; at: number }>();

	/** Null when the request may go ahead, else the Retry-After seconds to answer 429 with. */
	take(key: string, perSecond: number, now: number): number | null {
		if (perSecond <= 0) return null;
		const capacity = Math.max(1, perSecond);
		const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
		bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
		bucket.at = now;
		this.buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return null;
		}
		return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
	}

	clear(): void {
		this.buckets.clear();
	}
}
