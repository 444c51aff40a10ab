import { AdaptiveConcurrency, mapWithConcurrency } from '../../../../nodes/Seedance/base/concurrency';
import { ExecutionCancelledError } from '../../../../nodes/Seedance/base/cancellation';

/** A clock the test moves, and waits that move it: the limit's timing without real time. */
function fakeClock() {
	let now = 0;
	const waits: number[] = [];
	return {
		now: () => now,
		wait: async (ms: number) => {
			waits.push(ms);
			now += ms;
		},
		waits,
		advance: (ms: number) => (now += ms),
	};
}

describe('AdaptiveConcurrency', () => {
	it('starts at the ceiling, halves once per 429 episode, waits the Retry-After, then grows back one per quiet round', async () => {
		const clock = fakeClock();
		const limit = new AdaptiveConcurrency(8, clock.wait, clock.now);
		expect(limit.limit).toBe(8);

		// Eight requests in flight all come back 429: one halving, not eight.
		const tickets = await Promise.all(Array.from({ length: 8 }, async () => await limit.acquire()));
		for (const ticket of tickets) limit.release(ticket, 2000);
		expect(limit.limit).toBe(4);

		// No request starts before the Retry-After has passed.
		await limit.acquire().then((ticket) => limit.release(ticket, 1000));
		expect(clock.waits).toEqual([2000]);
		expect(clock.now()).toBe(2000);
		// A 429 to a request started after the halving halves again.
		expect(limit.limit).toBe(2);

		// Quiet again: +1 after each round of `limit` answers, up to the ceiling and no further.
		const grown: number[] = [];
		for (let i = 0; i < 40; i++) {
			limit.release(await limit.acquire());
			grown.push(limit.limit);
		}
		expect(grown.slice(0, 6)).toEqual([2, 3, 3, 3, 4, 4]);
		expect(grown[grown.length - 1]).toBe(8);
	});

	it('never runs more at once than its limit', async () => {
		const limit = new AdaptiveConcurrency(3);
		let running = 0;
		let most = 0;
		await mapWithConcurrency(Array.from({ length: 30 }, (_, i) => i), 10, async () => {
			const ticket = await limit.acquire();
			running++;
			most = Math.max(most, running);
			await new Promise((resolve) => setImmediate(resolve));
			running--;
			limit.release(ticket);
		});
		expect(most).toBe(3);
	});

	it('lets waiting callers go with an ExecutionCancelledError when the run is cancelled', async () => {
		const limit = new AdaptiveConcurrency(1);
		const controller = new AbortController();
		const held = await limit.acquire(controller.signal);
		const waiting = limit.acquire(controller.signal);
		controller.abort();
		await expect(waiting).rejects.toBeInstanceOf(ExecutionCancelledError);
		limit.release(held);
		await expect(limit.acquire(controller.signal)).rejects.toBeInstanceOf(ExecutionCancelledError);
	});
});

describe('mapWithConcurrency', () => {
	it('throws a task\'s error only once its running siblings have ended, so their results are all recorded', async () => {
		// A cancelled run: one submit rejects at once while two others are still being answered.
		const billed: number[] = [];
		const started: number[] = [];
		const run = mapWithConcurrency([0, 1, 2, 3, 4], 3, async (index) => {
			started.push(index);
			if (index === 0) throw new ExecutionCancelledError();
			await new Promise((resolve) => setTimeout(resolve, 20 * index));
			billed.push(index);
		});
		await expect(run).rejects.toBeInstanceOf(ExecutionCancelledError);
		// What a summary built right after the rejection sees: both jobs that were in flight.
		expect(billed).toEqual([1, 2]);
		// And nothing new was started after the failure.
		expect(started).toEqual([0, 1, 2]);
	});
});
