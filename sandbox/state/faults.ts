export type FaultStatus = 200 | 400 | 401 | 402 | 403 | 404 | 409 | 429 | 500 | 502 | 503 | 504;
export type FaultMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface Fault {
	method?: FaultMethod;
	/** Exact path, or a RegExp tested against the path (no query string). */
	path?: string | RegExp;
	status?: FaultStatus;
	/** Seconds, sent as Retry-After; 429 answers get 1 when unset. */
	retryAfter?: number;
	/** Replaces the default `{"error": ...}` body. */
	body?: Record<string, unknown>;
	/** Wait before answering; alone, the request is then handled normally. */
	delayMs?: number;
	/** Destroy the socket without answering. */
	drop?: boolean;
	/** Answer normally, but destroy the socket once this many body bytes were sent (a reset mid-download). */
	dropAfterBytes?: number;
	/**
	 * `GET /v2/jobs` only: answer as the list stood this many ms ago, as a lagging replica or cache
	 * would: jobs created since are missing, the others show the state they had then.
	 */
	staleMs?: number;
	/** How many matching requests the fault applies to (default 1). */
	times?: number;
	/** Instead of `times`: every matching request within this many ms of the push (an outage). */
	forMs?: number;
}

/** A queued fault with how many requests (or, for `forMs`, how many ms) it has left. */
export type PendingFault = Fault & ({ remaining: number } | { remainingMs: number });

interface QueuedFault {
	fault: Fault;
	remaining: number;
	/** Epoch ms after which a windowed fault (`forMs`) no longer applies. */
	until: number | null;
}

function matches(fault: Fault, method: string, path: string): boolean {
	if (fault.method && fault.method !== method) return false;
	if (fault.path === undefined) return true;
	if (typeof fault.path === 'string') return fault.path === path;
	fault.path.lastIndex = 0;
	return fault.path.test(path);
}

/** First matching fault wins and is consumed by the request it applies to. */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	push(fault: Fault, now = Date.now()): void {
		const times = fault.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new Error('fault.times must be a positive integer');
		if (fault.forMs !== undefined && (!Number.isInteger(fault.forMs) || fault.forMs < 1)) throw new Error('fault.forMs must be a positive integer');
		if (fault.forMs !== undefined && fault.times !== undefined) throw new Error('give fault.times or fault.forMs, not both');
		this.queue.push({ fault: { ...fault }, remaining: times, until: fault.forMs === undefined ? null : now + fault.forMs });
	}

	clear(): void {
		this.queue = [];
	}

	take(method: string, path: string, now = Date.now()): Fault | null {
		this.queue = this.queue.filter((q) => q.until === null || now < q.until);
		const index = this.queue.findIndex((q) => matches(q.fault, method, path));
		if (index < 0) return null;
		const queued = this.queue[index];
		if (queued.until !== null) return queued.fault;
		queued.remaining -= 1;
		if (queued.remaining <= 0) this.queue.splice(index, 1);
		return queued.fault;
	}

	pending(now = Date.now()): PendingFault[] {
		return this.queue
			.filter((q) => q.until === null || now < q.until)
			.map((q) => (q.until === null ? { ...q.fault, remaining: q.remaining } : { ...q.fault, remainingMs: q.until - now }));
	}
}
