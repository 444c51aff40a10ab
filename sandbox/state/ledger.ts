import { jobStateAt, type JobStore } from './jobs';

/** The team's credit balance: charged at submit, refunded when a job fails. */
export class Ledger {
	constructor(public balance: number) {}

	charge(amount: number): void {
		this.balance -= amount;
	}

	/** Failure is derived from time, so refunds are applied whenever the balance is about to be read. */
	refundFailedJobs(jobs: JobStore, now: number): void {
		for (const job of jobs.all()) {
			if (!job.refunded && jobStateAt(job, now).status === 'FAILED') {
				job.refunded = true;
				this.balance += job.creditCost;
			}
		}
	}
}
