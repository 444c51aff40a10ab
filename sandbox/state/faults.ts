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
	/** How many matching requests the fault applies to (default 1). */
	times?: number;
}

interface QueuedFault {
	fault: Fault;
	remaining: number;
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

	push(fault: Fault): void {
		const times = fault.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new Error('fault.times must be a positive integer');
		this.queue.push({ fault: { ...fault }, remaining: times });
	}

	clear(): void {
		this.queue = [];
	}

	take(method: string, path: string): Fault | null {
		const index = this.queue.findIndex((q) => matches(q.fault, method, path));
		if (index < 0) return null;
		const queued = this.queue[index];
		queued.remaining -= 1;
		if (queued.remaining <= 0) this.queue.splice(index, 1);
		return queued.fault;
	}

	pending(): Array<Fault & { remaining: number }> {
		return this.queue.map((q) => ({ ...q.fault, remaining: q.remaining }));
	}
}
