import { cancellableSleep } from '../base/cancellation';
import { operationError } from '../base/errors';
import type { ApiContext } from '../transport/index';
import { JobListSchedule } from './listSchedule';
import type { JobArrivals } from './arrivals';
import { readJobs } from './read';
import {
	failed,
	isSubmitted,
	replacePicked,
	type FailedJob,
	type JobAfterSubmit,
	type SettledJob,
	type SubmittedJob,
} from './trackedJob';

export interface WaitSettings {
	pollIntervalMs: number;
	timeoutMs: number;
	/**
	 * What a job still running at the timeout becomes: a failed item whose error gives the job ID,
	 * or an unfinished item (its ID and last status) for a caller that fetches it later.
	 */
	whenTimeUp: 'fail-item' | 'return-unfinished';
	concurrency: number;
	signal?: AbortSignal;
	/** Told of each job as soon as a read finds it finished, while the others are still awaited. */
	onSettled?: (job: SettledJob) => void;
}

function timedOut(this: ApiContext, job: SubmittedJob, timeoutMs: number): FailedJob {
	const progress = typeof job.lastSeen?.progress === 'number' ? `, ${job.lastSeen.progress}%` : '';
	return failed(
		job,
		operationError(
			this.getNode(),
			`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for Seedance job ${job.jobId} (still ${job.lastSeen?.status ?? 'QUEUED'}${progress})`,
			'The job keeps running on Apiframe and is billed when it completes. Pick it up later with Job → Get and this job ID, or raise Options › Timeout.',
			{ itemIndex: job.itemIndex, jobId: job.jobId },
		),
	);
}

/**
 * Polls all jobs together until each has finished, failed to be read or run out of time, reading
 * them through the job list (see read.ts), a page for up to 100 jobs, by ID while the list is
 * failing (listSchedule.ts). Jobs not read yet (picked up by ID) are read at once; freshly
 * submitted ones after the first interval.
 *
 * Jobs still arriving (a run whose later items are being submitted) join the next poll after they
 * arrive; polls keep their interval until the arrivals are closed and every job has finished. The
 * timeout counts from the close, so a long run of submits takes nothing from any job's wait.
 * Returns every job that arrived, in the order it arrived, the open ones as far as they got.
 */
export async function waitForJobs(
	this: ApiContext,
	arrivals: JobArrivals,
	settings: WaitSettings,
): Promise<JobAfterSubmit[]> {
	let current: JobAfterSubmit[] = [];
	const list = new JobListSchedule();
	const read = async (picked: SubmittedJob[]) => {
		const done = await readJobs.call(this, picked, { concurrency: settings.concurrency, signal: settings.signal, run: current, list });
		for (const job of done) if (job.kind === 'settled') settings.onSettled?.(job);
		return done;
	};
	const admitArrivals = () => {
		const arrived = arrivals.takeNew();
		if (arrived.length > 0) current = [...current, ...arrived];
	};
	const deadline = () => {
		const closedSince = arrivals.closedSince;
		return closedSince === null ? Infinity : closedSince + settings.timeoutMs;
	};

	admitArrivals();
	current = await replacePicked(current, (job): job is SubmittedJob => isSubmitted(job) && !job.lastSeen, read);
	for (;;) {
		// Seen closed before taking the arrivals in: no job added before the close is left out.
		const closed = arrivals.closedSince !== null;
		admitArrivals();
		if (closed && !current.some(isSubmitted)) break;
		const now = Date.now();
		if (now >= deadline()) break;
		await cancellableSleep(Math.min(settings.pollIntervalMs, deadline() - now), settings.signal);
		admitArrivals();
		current = await replacePicked(current, isSubmitted, read);
	}
	if (settings.whenTimeUp === 'return-unfinished') return current;
	return current.map((job) => (job.kind === 'submitted' ? timedOut.call(this, job, settings.timeoutMs) : job));
}
