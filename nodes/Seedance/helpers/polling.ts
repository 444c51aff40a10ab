import { apiRequest, type ApiContext } from '../transport';
import { operationError, toNodeError } from './errors';
import { TERMINAL_STATUSES, type ApiframeJob } from './interfaces';
import { mapWithConcurrency } from './concurrency';
import { cancellableSleep } from './sleep';
import type { TrackedJob } from './trackedJob';

export interface WaitSettings {
	pollIntervalMs: number;
	timeoutMs: number;
	concurrency: number;
	signal?: AbortSignal;
}

function isPending(entry: TrackedJob): boolean {
	return Boolean(entry.jobId) && !entry.error && !TERMINAL_STATUSES.has(entry.job?.status ?? '');
}

export async function fetchJob(
	this: ApiContext,
	jobId: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<ApiframeJob> {
	const job = await apiRequest.call(this, {
		method: 'GET',
		path: `/v2/jobs/${encodeURIComponent(jobId)}`,
		signal,
		errorContext: { itemIndex, jobId },
	});
	return job as unknown as ApiframeJob;
}

/** Reads the given jobs once, recording a failed read as that item's error. */
export async function readJobs(
	this: ApiContext,
	entries: TrackedJob[],
	concurrency: number,
	signal?: AbortSignal,
): Promise<void> {
	await mapWithConcurrency(entries, concurrency, async (entry) => {
		try {
			entry.job = await fetchJob.call(this, entry.jobId!, entry.itemIndex, signal);
		} catch (error) {
			if (signal?.aborted) throw toNodeError(this.getNode(), error, entry.itemIndex);
			entry.error = error as Error;
		}
	});
}

/**
 * Polls all jobs together until each is finished, failed or out of time: one request per job per
 * poll interval, however many items there are. Jobs not read yet (picked up by id) are read at
 * once; freshly submitted ones after the first interval.
 */
export async function waitForJobs(this: ApiContext, tracked: TrackedJob[], settings: WaitSettings): Promise<void> {
	const deadline = Date.now() + settings.timeoutMs;
	const unread = tracked.filter((entry) => isPending(entry) && !entry.job);
	if (unread.length > 0) await readJobs.call(this, unread, settings.concurrency, settings.signal);

	while (tracked.some(isPending)) {
		const now = Date.now();
		if (now >= deadline) break;
		await cancellableSleep(Math.min(settings.pollIntervalMs, deadline - now), settings.signal);
		await readJobs.call(this, tracked.filter(isPending), settings.concurrency, settings.signal);
	}

	for (const entry of tracked.filter(isPending)) {
		const job = entry.job;
		const progress = typeof job?.progress === 'number' ? `, ${job.progress}%` : '';
		entry.error = operationError(
			this.getNode(),
			`Timed out after ${Math.round(settings.timeoutMs / 1000)} s waiting for Seedance job ${entry.jobId} (still ${job?.status ?? 'QUEUED'}${progress})`,
			'The job keeps running on Apiframe and is billed when it completes. Pick it up later with Job → Get and this job ID, or raise Options › Timeout.',
			{ itemIndex: entry.itemIndex, jobId: entry.jobId },
		);
	}
}
