import type { IBinaryKeyData } from 'n8n-workflow';

import { TERMINAL_STATUSES, type ApiframeJob } from '../transport/responses';

/**
 * One input item's job, in the state it has reached. Each step (submit, read, wait, download)
 * takes jobs in one state and returns them in the next; none changes a job in place.
 */
export type TrackedJob<Request = never> = PreparedJob<Request> | InvalidJob | SubmittedJob | SettledJob | FailedJob;

/** An item checked and ready to submit: nothing has been sent yet. */
export interface PreparedJob<Request> {
	kind: 'prepared';
	itemIndex: number;
	idempotencyKey: string;
	request: Request;
}

/** An item refused before anything was billed: its input is wrong. */
export interface InvalidJob {
	kind: 'invalid';
	itemIndex: number;
	error: Error;
}

/** A job Apiframe has accepted and that, as far as is known, has not finished. */
export interface SubmittedJob {
	kind: 'submitted';
	itemIndex: number;
	jobId: string;
	idempotencyKey: string | null;
	/** The job as last read; null when it has not been read yet and must be before it is trusted. */
	lastSeen: ApiframeJob | null;
}

/**
 * A job that has finished on Apiframe, with its files once they were downloaded. settle() turns a
 * FAILED or CANCELLED one into a failed item, unless failed jobs are handed on as data (the trigger).
 */
export interface SettledJob {
	kind: 'settled';
	itemIndex: number;
	jobId: string;
	idempotencyKey: string | null;
	job: ApiframeJob;
	binary: IBinaryKeyData | null;
}

/**
 * An item that failed: on Apiframe, or on the way (submit, read, timeout, download). `jobId` is
 * null only when no job was created; `job` holds the job as last read, when it was.
 */
export interface FailedJob {
	kind: 'failed';
	itemIndex: number;
	jobId: string | null;
	idempotencyKey: string | null;
	job: ApiframeJob | null;
	error: Error;
}

/** An item's job once the submit is behind it: whatever was refused, sent or finished. */
export type JobAfterSubmit = InvalidJob | SubmittedJob | SettledJob | FailedJob;

/** Any item's job, whatever its request type: what the functions below need to know of it. */
type AnyJob = TrackedJob<unknown>;

export function submitted(
	itemIndex: number,
	jobId: string,
	idempotencyKey: string | null,
	lastSeen: ApiframeJob | null,
): SubmittedJob {
	return { kind: 'submitted', itemIndex, jobId, idempotencyKey, lastSeen };
}

export function isSubmitted<Job extends { kind: string }>(job: Job): job is Extract<Job, { kind: 'submitted' }> {
	return job.kind === 'submitted';
}

export function isFailure<Job extends { kind: string }>(job: Job): job is Extract<Job, { kind: 'invalid' | 'failed' }> {
	return job.kind === 'invalid' || job.kind === 'failed';
}

/** A submitted job as just read: settled once it has finished, still submitted otherwise. */
export function observe(job: SubmittedJob, read: ApiframeJob): SubmittedJob | SettledJob {
	if (!TERMINAL_STATUSES.has(read.status)) return { ...job, lastSeen: read };
	return { kind: 'settled', itemIndex: job.itemIndex, jobId: job.jobId, idempotencyKey: job.idempotencyKey, job: read, binary: null };
}

/** The job as last known; null when no job exists or it has not been read. */
export function lastKnownJob(job: AnyJob): ApiframeJob | null {
	switch (job.kind) {
		case 'submitted':
			return job.lastSeen;
		case 'settled':
		case 'failed':
			return job.job;
		case 'prepared':
		case 'invalid':
			return null;
	}
}

export function jobIdOf(job: AnyJob): string | null {
	return job.kind === 'prepared' || job.kind === 'invalid' ? null : job.jobId;
}

export function idempotencyKeyOf(job: AnyJob): string | null {
	return job.kind === 'invalid' ? null : job.idempotencyKey;
}

/** The same item, now failed with `error`, keeping what was known of its job. */
export function failed(job: AnyJob, error: Error): FailedJob {
	return {
		kind: 'failed',
		itemIndex: job.itemIndex,
		jobId: jobIdOf(job),
		idempotencyKey: idempotencyKeyOf(job),
		job: lastKnownJob(job),
		error,
	};
}

export function inOrder<T extends { itemIndex: number }>(jobs: T[]): T[] {
	return [...jobs].sort((a, b) => a.itemIndex - b.itemIndex);
}

/** A line per item, put into every error so that no submitted job is ever lost from sight. */
export function summarizeBatch(jobs: AnyJob[]): string | undefined {
	if (!jobs.some((job) => jobIdOf(job))) return undefined;
	const lines = inOrder(jobs).map((job) => {
		const item = `item ${job.itemIndex}`;
		const reason = isFailure(job) ? ` (${job.error.message})` : '';
		const jobId = jobIdOf(job);
		if (!jobId) return `${item}: not submitted${reason}`;
		return `${item}: job ${jobId} ${lastKnownJob(job)?.status ?? 'SUBMITTED'}${reason}`;
	});
	return `Jobs of this run (pick any of them up later with Job → Get):\n${lines.join('\n')}`;
}

/**
 * Runs `step` on the jobs that `pick` chooses and puts each result where its job was; the others
 * stay as they are.
 */
export async function replacePicked<Job, Picked extends Job, Result>(
	jobs: Job[],
	pick: (job: Job) => job is Picked,
	step: (picked: Picked[]) => Promise<Array<Result | undefined>>,
): Promise<Array<Job | Result>> {
	const picked = jobs.filter(pick);
	if (picked.length === 0) return jobs;
	const results = await step(picked);
	const resultOf = new Map<Job, Job | Result>(picked.map((job, index) => [job, results[index] ?? job]));
	return jobs.map((job) => resultOf.get(job) ?? job);
}
