import { cancellableSleep, ExecutionCancelledError, throwIfCancelled } from './cancellation';

/**
 * Runs `task` over `inputs` with at most `limit` running at once. Once `shouldStop` answers true,
 * tasks not yet started are skipped (their slot stays undefined); running ones finish. When a task
 * throws, no task starts after it, and the error is thrown only once every running task has ended:
 * a caller that then reports what was done (a cancelled run's billed jobs) misses none of them.
 */
export async function mapWithConcurrency<T, R>(
	inputs: T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	let thrown = false;
	const worker = async () => {
		while (next < inputs.length && !shouldStop() && !thrown) {
			const index = next++;
			const running = task(inputs[index], index);
			// Seen by the other workers, which then start nothing new; the error itself ends this one.
			running.catch(() => (thrown = true));
			results[index] = await running;
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	const ended = await Promise.allSettled(workers);
	const failure = ended.find((worker): worker is PromiseRejectedResult => worker.status === 'rejected');
	return failure ? await Promise.reject(failure.reason) : results;
}

/** What a caller holds while one request runs: the limit's generation when it started. */
export interface GateTicket {
	generation: number;
}

/**
 * How many requests may run at once, adapted to the server's answers (AIMD, as TCP does): it starts
 * at the ceiling, halves on a 429 (once for all the requests that were already running when it
 * came) and lets no request start before the Retry-After has passed, and grows by one after each
 * round of `limit` answers without a 429, back up to the ceiling.
 */
export class AdaptiveConcurrency {
	private current: number;
	private running = 0;
	private generation = 0;
	private quietAnswers = 0;
	private pausedUntil = 0;
	/** Callers waiting for a slot, first come first served. */
	private readonly waiting: Array<{ wake: () => void; cancel: () => void }> = [];
	private readonly watched = new WeakSet<AbortSignal>();

	constructor(
		private ceiling: number,
		private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void> = cancellableSleep,
		private readonly now: () => number = Date.now,
	) {
		this.current = Math.max(1, ceiling);
	}

	get limit(): number {
		return this.current;
	}

	/** A new ceiling (the user's setting); the limit never stands above it. */
	setCeiling(ceiling: number): void {
		this.ceiling = Math.max(1, ceiling);
		this.current = Math.min(this.current, this.ceiling);
	}

	/** Waits for a free slot and for any Retry-After to pass; the caller must release() the ticket. */
	async acquire(signal?: AbortSignal): Promise<GateTicket> {
		for (;;) {
			throwIfCancelled(signal);
			const pause = this.pausedUntil - this.now();
			if (pause > 0) {
				await this.wait(pause, signal);
				continue;
			}
			if (this.running < this.current) break;
			await this.nextRelease(signal);
		}
		this.running++;
		return { generation: this.generation };
	}

	/** Ends a request: `throttledForMs` when it was answered 429, with the wait Apiframe asked for. */
	release(ticket: GateTicket, throttledForMs?: number): void {
		this.running--;
		if (throttledForMs === undefined) {
			if (++this.quietAnswers >= this.current) {
				this.quietAnswers = 0;
				this.current = Math.min(this.ceiling, this.current + 1);
			}
		} else {
			this.pausedUntil = Math.max(this.pausedUntil, this.now() + throttledForMs);
			this.quietAnswers = 0;
			// Requests started before the last decrease tell of the old limit: one halving per episode.
			if (ticket.generation === this.generation) {
				this.current = Math.max(1, Math.floor(this.current / 2));
				this.generation++;
			}
		}
		// Wake as many waiting callers as there are free slots; each checks again for itself.
		const free = Math.max(0, this.current - this.running);
		this.waiting.splice(0, free).forEach(({ wake }) => wake());
	}

	private async nextRelease(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw new ExecutionCancelledError();
		if (signal && !this.watched.has(signal)) {
			// One listener for all waiting callers: a run may queue thousands of them.
			this.watched.add(signal);
			signal.addEventListener('abort', () => this.waiting.splice(0).forEach(({ cancel }) => cancel()), { once: true });
		}
		await new Promise<void>((resolve, reject) => {
			this.waiting.push({ wake: resolve, cancel: () => reject(new ExecutionCancelledError()) });
		});
	}
}
