import type { INode } from 'n8n-workflow';

import { AdaptiveConcurrency } from '../base/concurrency';
import { clamp } from '../base/numbers';
import { operationError, toNodeError } from '../base/errors';
import type { DownloadPlan } from '../media/downloadLimits';
import { downloadJobFiles } from '../media/resultFiles';
import type { ApiContext } from '../transport/index';
import type { ApiframeJob } from '../transport/responses';
import {
	failed,
	isSubmitted,
	replacePicked,
	type FailedJob,
	type JobAfterSubmit,
	type SettledJob,
	type SubmittedJob,
} from './trackedJob';
import { JobArrivals } from './arrivals';
import { readJobs } from './read';
import { waitForJobs, type WaitSettings } from './wait';

export interface SettleSettings {
	/** Poll until every job has finished; false: take each job as it was last read. */
	wait: Pick<WaitSettings, 'pollIntervalMs' | 'timeoutMs' | 'whenTimeUp'> | false;
	/** Where completed jobs' files go, and their limits; false: leave them at their URLs. */
	download: DownloadPlan | false;
	/** How many requests to Apiframe may run at once, at most: the limit adapts below it (transport/pacing.ts). */
	concurrency: number;
	downloadConcurrency: number;
	/** Whether a job that ended FAILED or CANCELLED fails its item, or is handed on as data (the trigger). */
	failedJobIsError: boolean;
	signal?: AbortSignal;
}

/** The Concurrency option's default and bounds: how many requests (and downloads) may run at once. */
export const CONCURRENCY_LIMITS = { default: 20, min: 1, max: 100 } as const;

/** What an operation asks of settle(), with the concurrency as given. */
export interface SettleOptions extends Omit<SettleSettings, 'concurrency' | 'downloadConcurrency'> {
	/** Rounded and held within CONCURRENCY_LIMITS. */
	concurrency: unknown;
	/** How many downloads at once; by default the same as `concurrency`. */
	downloadConcurrency?: number;
}

/** The one way to make SettleSettings, so that every caller bounds the concurrency alike. */
export function settleSettings(options: SettleOptions): SettleSettings {
	const concurrency = Math.round(clamp(options.concurrency, CONCURRENCY_LIMITS));
	return { ...options, concurrency, downloadConcurrency: options.downloadConcurrency ?? concurrency };
}

/** The error of an item whose job ended FAILED or CANCELLED on Apiframe. */
export function jobFailedError(node: INode, job: ApiframeJob, itemIndex: number) {
	const isFailed = job.status === 'FAILED';
	return operationError(
		node,
		`Seedance job ${job.id} ${isFailed ? 'failed' : 'was cancelled'}: ${job.error ?? 'Apiframe gave no reason'}`,
		isFailed
			? 'Apiframe refunds failed jobs. Adjust the prompt or media and run the item again.'
			: "The job was stopped on Apiframe's side, and Apiframe documents no refund for that: see the job in its dashboard. Run the item again for a new job.",
		{ itemIndex, jobId: job.id },
	);
}

function isCompleted(job: JobAfterSubmit): job is SettledJob {
	return job.kind === 'settled' && job.job.status === 'COMPLETED';
}

/**
 * Downloads completed jobs' files, each as soon as it is handed over (while other jobs are still
 * awaited), at most `concurrency` at once. A failed download fails its item, keeping its job ID.
 */
function downloader(this: ApiContext, download: DownloadPlan, concurrency: number, signal?: AbortSignal) {
	const slots = new AdaptiveConcurrency(concurrency);
	const started = new Map<SettledJob, Promise<SettledJob | FailedJob>>();
	const downloadOne = async (job: SettledJob): Promise<SettledJob | FailedJob> => {
		const ticket = await slots.acquire(signal);
		try {
			return { ...job, binary: await downloadJobFiles.call(this, job.job, job.itemIndex, { ...download, signal }) };
		} catch (error) {
			if (signal?.aborted) throw toNodeError(this.getNode(), error, job.itemIndex);
			return failed(job, error as Error);
		} finally {
			slots.release(ticket);
		}
	};
	return {
		start(job: SettledJob): void {
			if (started.has(job) || job.job.status !== 'COMPLETED') return;
			const running = downloadOne(job);
			// Handled where it is awaited; this keeps a cancelled run's pending downloads from being unhandled.
			running.catch(() => undefined);
			started.set(job, running);
		},
		async finish(job: SettledJob): Promise<SettledJob | FailedJob> {
			this.start(job);
			return await started.get(job)!;
		},
	};
}

/**
 * Takes every item's job as far as it goes: waits for the submitted jobs (without waiting, reads
 * those not read yet), fails the items whose job ended FAILED or CANCELLED, and downloads the files
 * of completed jobs, each as soon as its job is seen completed. Generate, Job → Get, the callback
 * wake-up and the trigger all end here. Jobs may be given as arrivals still open (Generate's, while
 * it submits) only when waiting; the result holds every job in the order it arrived.
 */
export async function settle(
	this: ApiContext,
	jobs: JobAfterSubmit[] | JobArrivals,
	settings: SettleSettings,
): Promise<JobAfterSubmit[]> {
	const { wait, download, signal } = settings;
	const files = download ? downloader.call(this, download, settings.downloadConcurrency, signal) : undefined;
	let current: JobAfterSubmit[];
	if (wait) {
		const arrivals = jobs instanceof JobArrivals ? jobs : JobArrivals.of(jobs);
		current = await waitForJobs.call(this, arrivals, {
			...wait,
			concurrency: settings.concurrency,
			signal,
			onSettled: (job) => files?.start(job),
		});
	} else {
		if (jobs instanceof JobArrivals) throw new Error('settle() without waiting takes jobs that have all arrived');
		current = await replacePicked(
			jobs,
			(job): job is SubmittedJob => isSubmitted(job) && !job.lastSeen,
			async (unread) => await readJobs.call(this, unread, { concurrency: settings.concurrency, signal, run: jobs }),
		);
	}

	if (settings.failedJobIsError) {
		current = current.map((job) =>
			job.kind === 'settled' && job.job.status !== 'COMPLETED'
				? failed(job, jobFailedError(this.getNode(), job.job, job.itemIndex))
				: job,
		);
	}

	if (!files) return current;
	return await replacePicked(current, isCompleted, async (completed) =>
		await Promise.all(completed.map(async (job) => await files.finish(job))),
	);
}
