import { JobListSchedule, LIST_MAX_REST_ROUNDS, LIST_REST_ROUNDS } from '../../../../nodes/Seedance/jobs/listSchedule';

/** Which of `rounds` polls read the list, the list failing whenever it is read. */
function pollsReadingAFailingList(schedule: JobListSchedule, rounds: number, retryAfterMs?: number): number[] {
	const reading: number[] = [];
	for (let round = 1; round <= rounds; round++) {
		if (!schedule.tryThisRound()) continue;
		reading.push(round);
		schedule.failed(retryAfterMs);
	}
	return reading;
}

describe('when a poll tries a failing job list again', () => {
	it('rests 2 polls after the first failure, doubling while it keeps failing', () => {
		expect(LIST_REST_ROUNDS).toBe(2);
		// Read at poll 1, rest 2; read at 4, rest 4; read at 9, rest 8; read at 18, rest 16; read at 35.
		expect(pollsReadingAFailingList(new JobListSchedule(), 40)).toEqual([1, 4, 9, 18, 35]);
	});

	it(`never rests more than ${LIST_MAX_REST_ROUNDS} polls, so a list that recovers is used again`, () => {
		const reading = pollsReadingAFailingList(new JobListSchedule(), 300);
		const gaps = reading.slice(1).map((round, i) => round - reading[i] - 1);
		expect(Math.max(...gaps)).toBe(LIST_MAX_REST_ROUNDS);
		expect(gaps.slice(-3)).toEqual([LIST_MAX_REST_ROUNDS, LIST_MAX_REST_ROUNDS, LIST_MAX_REST_ROUNDS]);
	});

	it('starts over after one success: the next failure rests 2 polls again', () => {
		const schedule = new JobListSchedule();
		pollsReadingAFailingList(schedule, 10);
		while (!schedule.tryThisRound());
		schedule.succeeded();
		expect([schedule.tryThisRound(), schedule.tryThisRound()]).toEqual([true, true]);
		schedule.failed();
		expect([schedule.tryThisRound(), schedule.tryThisRound(), schedule.tryThisRound()]).toEqual([false, false, true]);
	});

	it('waits out a Retry-After longer than the rest before reading the list again', () => {
		let now = 0;
		const schedule = new JobListSchedule(() => now);
		expect(schedule.tryThisRound()).toBe(true);
		schedule.failed(10_000);
		const polls: boolean[] = [];
		for (let poll = 0; poll < 6; poll++) {
			now += 2000;
			polls.push(schedule.tryThisRound());
		}
		// Rests 2 polls, then waits for the 10 s asked: read again at the poll 10 s after the 429.
		expect(polls).toEqual([false, false, false, false, true, true]);
	});
});
