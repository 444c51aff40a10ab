import type { JobAfterSubmit } from './trackedJob';

/**
 * A run's jobs as their submits come back. Generate adds each job when Apiframe has answered its
 * submit and closes the arrivals after the last, so waiting (polls, downloads) starts while later
 * items are still being submitted; every other caller hands settle() jobs that have all arrived.
 */
export class JobArrivals {
	private pending: JobAfterSubmit[] = [];
	private closedAt: number | null = null;

	constructor(private readonly now: () => number = Date.now) {}

	/** Arrivals that are all there already: nothing more will come. */
	static of(jobs: JobAfterSubmit[]): JobArrivals {
		const arrivals = new JobArrivals();
		for (const job of jobs) arrivals.add(job);
		arrivals.close();
		return arrivals;
	}

	add(job: JobAfterSubmit): void {
		// A job added after the close would never be waited for, nor reported.
		if (this.closedAt !== null) throw new Error(`Job of item ${job.itemIndex} arrived after the run's last submit`);
		this.pending.push(job);
	}

	/** No job comes after this; the time is when the run's wait for the last submits began. */
	close(): void {
		this.closedAt ??= this.now();
	}

	/** When the last job arrived; null while more may come. */
	get closedSince(): number | null {
		return this.closedAt;
	}

	/** The jobs that arrived since the last call, in the order they arrived. */
	takeNew(): JobAfterSubmit[] {
		const arrived = this.pending;
		this.pending = [];
		return arrived;
	}
}
