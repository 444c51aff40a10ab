import { cancellableSleep } from '../base/cancellation';
import { operationError } from '../base/errors';
import type { ApiContext } from '../transport/index';
import { JobListSchedule } from './listSchedule';
import { readJobs, type ReadJob } from './read';
import { failed, isSubmitted, replacePicked, type FailedJob, type SettledJob, type SubmittedJob } from './trackedJob';

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
 */
export async function waitForJobs(
	this: ApiContext,
	jobs: SubmittedJob[],
	settings: WaitSettings,
): Promise<ReadJob[]> {
	const deadline = Date.now() + settings.timeoutMs;
	let current: ReadJob[] = jobs;
	const list = new JobListSchedule();
	const read = async (picked: SubmittedJob[]) => {
		const done = await readJobs.call(this, picked, { concurrency: settings.concurrency, signal: settings.signal, run: current, list });
		for (const job of done) if (job.kind === 'settled') settings.onSettled?.(job);
		return done;
	};
	current = await replacePicked(jobs, (job): job is SubmittedJob => !job.lastSeen, read);
	while (current.some(isSubmitted)) {
		const now = Date.now();
		if (now >= deadline) break;
		await cancellableSleep(Math.min(settings.pollIntervalMs, deadline - now), settings.signal);
		current = await replacePicked(current, isSubmitted, read);
	}
	if (settings.whenTimeUp === 'return-unfinished') return current;
	return current.map((job) => (job.kind === 'submitted' ? timedOut.call(this, job, settings.timeoutMs) : job));
}
