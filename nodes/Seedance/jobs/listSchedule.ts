/**
 * When a poll reads the job list. The list is an optimisation (the truth is `GET /v2/jobs/{id}`),
 * so a poll whose list fails (5xx, 429, network error, unreadable page, a stale answer) reads its jobs by ID at
 * once, and the list then rests: the next LIST_REST_ROUNDS polls that would read it read by ID,
 * twice as many after each further failure in a row (at most LIST_MAX_REST_ROUNDS), and never
 * before a Retry-After it was answered with has passed. One success ends the resting.
 */
export const LIST_REST_ROUNDS = 2;
export const LIST_MAX_REST_ROUNDS = 32;

export class JobListSchedule {
	private failuresInARow = 0;
	private restRounds = 0;
	private notBefore = 0;

	constructor(private readonly now: () => number = Date.now) {}

	/** Whether this poll may read the list; each call is one poll that would. */
	tryThisRound(): boolean {
		if (this.restRounds > 0) {
			this.restRounds--;
			return false;
		}
		return this.now() >= this.notBefore;
	}

	/** The list failed this poll; `retryAfterMs`: the wait its answer asked for. */
	failed(retryAfterMs?: number): void {
		this.failuresInARow++;
		this.restRounds = Math.min(LIST_REST_ROUNDS * 2 ** (this.failuresInARow - 1), LIST_MAX_REST_ROUNDS);
		this.notBefore = retryAfterMs === undefined ? 0 : this.now() + retryAfterMs;
	}

	succeeded(): void {
		this.failuresInARow = 0;
		this.notBefore = 0;
	}
}
