import { cancellableSleep } from '../base/cancellation';
import { mapWithConcurrency } from '../base/concurrency';
import { operationError, toNodeError } from '../base/errors';
import { fetchJob } from '../transport/apiframe';
import type { ApiContext } from '../transport/index';
import {
	failed,
	isSubmitted,
	observe,
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
}

export type ReadJob = SubmittedJob | SettledJob | FailedJob;

/** Reads the given jobs once, in their order: a failed read fails that item, a cancel the run. */
export async function readJobs(
	this: ApiContext,
	jobs: SubmittedJob[],
	concurrency: number,
	signal?: AbortSignal,
): Promise<ReadJob[]> {
	const read = await mapWithConcurrency(jobs, concurrency, async (job): Promise<ReadJob> => {
		try {
			return observe(job, await fetchJob.call(this, job.jobId, job.itemIndex, signal));
		} catch (error) {
			if (signal?.aborted) throw toNodeError(this.getNode(), error, job.itemIndex);
			return failed(job, error as Error);
		}
	});
	return read.map((job, index) => job ?? jobs[index]);
}

/**
 * Reads every submitted job once, for what only a read tells (a finished job, its charge); a read
 * that fails leaves the job as it was, since nothing depends on it yet.
 */
export async function readSubmittedJobs(
	this: ApiContext,
	jobs: JobAfterSubmit[],
	concurrency: number,
	signal?: AbortSignal,
): Promise<JobAfterSubmit[]> {
	return await replacePicked(jobs, isSubmitted, async (submitted) => {
		const read = await readJobs.call(this, submitted, concurrency, signal);
		return read.map((job, index) => (job.kind === 'failed' ? submitted[index] : job));
	});
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
 * Polls all jobs together until each has finished, failed to be read or run out of time: one
 * request per job per poll interval, however many items there are. Jobs not read yet (picked up
 * by ID) are read at once; freshly submitted ones after the first interval.
 */
export async function waitForJobs(
	this: ApiContext,
	jobs: SubmittedJob[],
	settings: WaitSettings,
): Promise<ReadJob[]> {
	const deadline = Date.now() + settings.timeoutMs;
	const read = async (picked: SubmittedJob[]) =>
		await readJobs.call(this, picked, settings.concurrency, settings.signal);
	let current: ReadJob[] = await replacePicked(jobs, (job): job is SubmittedJob => !job.lastSeen, read);
	while (current.some(isSubmitted)) {
		const now = Date.now();
		if (now >= deadline) break;
		await cancellableSleep(Math.min(settings.pollIntervalMs, deadline - now), settings.signal);
		current = await replacePicked(current, isSubmitted, read);
	}
	if (settings.whenTimeUp === 'return-unfinished') return current;
	return current.map((job) => (job.kind === 'submitted' ? timedOut.call(this, job, settings.timeoutMs) : job));
}
