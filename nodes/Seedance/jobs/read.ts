import { NodeApiError } from 'n8n-workflow';

import { mapWithConcurrency } from '../base/concurrency';
import { toNodeError } from '../base/errors';
import { fetchJob, fetchJobPage } from '../transport/apiframe';
import { isRefusedRedirect, type ApiContext } from '../transport/index';
import { createdAtOf, JOB_LIST_PAGE_MAX, TERMINAL_STATUSES, type ApiframeJob } from '../transport/responses';
import type { JobListSchedule } from './listSchedule';
import {
	failed,
	isSubmitted,
	lastKnownJob,
	observe,
	replacePicked,
	type FailedJob,
	type JobAfterSubmit,
	type SettledJob,
	type SubmittedJob,
} from './trackedJob';

/**
 * Reading a run's open jobs in one poll. `GET /v2/jobs` gives up to 100 jobs a page, newest first
 * in the order (createdAt desc, id desc), with no time filter; a run's open jobs are the newest
 * jobs of its model while they finish in the order they started. So a poll pages the list until
 * it has seen every open job and falls back to `GET /v2/jobs/{id}` for any it has not.
 *
 * The window: W, the run's own jobs created since its oldest open job (open or not; a job not yet
 * read counts in it, since its createdAt is unknown). W = n, the open jobs, while they finish in
 * the order they started. The list is paged for at most ceil(W / 100) + 1 pages, the extra page
 * for other jobs of the account interleaved with the run's; beyond that, only while the last page
 * held at least two of the run's open jobs (it then saves more reads by ID than it costs). Paging
 * also stops once a page reaches jobs created before every open job not yet seen (when all their
 * createdAt are known: only Apiframe's own timestamps are compared, so n8n's clock never enters).
 *
 * What that guarantees per poll: at most ceil(W / 100) + 1 requests whenever no more than 100 of
 * the account's other jobs (of the run's model, when it has one) were created within the window;
 * with more, the pages the budget allows plus one read by ID for each open job they did not reach,
 * that is never more than ceil(W / 100) + 2 requests above reading every open job by ID. When n is
 * no larger than the page budget, the jobs are read by ID (1 job: 1 request, 2 jobs: 2, the same
 * as or fewer than the list could promise).
 *
 * A list that fails costs one request: it is tried once, never retried (see listSchedule.ts for
 * when a poll tries it again), and the poll reads every job it has not seen by ID at once. A list
 * that shows a job behind its last read by ID (an earlier status, or less progress) is stale: that
 * job is read by ID, and the list counts as failed.
 */

export type ReadJob = SubmittedJob | SettledJob | FailedJob;

export interface ReadSettings {
	/** How many reads by ID may run at once. */
	concurrency: number;
	/** Every job of the run, open or not: where the window of the list comes from. */
	run?: ReadonlyArray<JobAfterSubmit | ReadJob>;
	/** When a poll of many may read the list; without one, every read tries it. */
	list?: JobListSchedule;
	signal?: AbortSignal;
}

/** W: the run's jobs created at or after its oldest open job, plus the open jobs never read. */
function windowSize(open: SubmittedJob[], run: ReadonlyArray<JobAfterSubmit | ReadJob>): number {
	const openTimes = open.map((job) => createdAtOf(job.lastSeen));
	const unknown = openTimes.filter((time) => time === undefined).length;
	const known = openTimes.filter((time): time is number => time !== undefined);
	if (known.length === 0) return open.length;
	const oldest = Math.min(...known);
	const openIds = new Set(open.map((job) => job.jobId));
	const others = run.filter((job) => {
		if (job.kind === 'invalid' || openIds.has(job.jobId ?? '')) return false;
		const time = createdAtOf(lastKnownJob(job));
		return time !== undefined && time >= oldest;
	}).length;
	return known.length + unknown + others;
}

/** The model all open jobs share, to filter the list by; undefined when they differ or one is unknown. */
function sharedModel(open: SubmittedJob[]): string | undefined {
	const models = new Set(open.map((job) => job.lastSeen?.model));
	const [model] = models;
	return models.size === 1 && model ? model : undefined;
}

/** The page budget of the list for these open jobs: ceil(W / 100) + 1. */
export function listPageBudget(open: SubmittedJob[], run: ReadonlyArray<JobAfterSubmit | ReadJob> = open): number {
	return Math.ceil(windowSize(open, run) / JOB_LIST_PAGE_MAX) + 1;
}

/**
 * What paging the list found, by job ID, and whether it failed: a page could not be read (with the
 * wait it asked for), or the list showed a job behind what a read by ID had already given (stale).
 */
interface ListReading {
	found: Map<string, ApiframeJob>;
	failure: { retryAfterMs?: number } | null;
}

/**
 * Pages the list for the open jobs. A page that cannot be read, tried once, ends the paging (the
 * jobs are then read by ID); a cancel ends the run.
 */
async function findInList(
	this: ApiContext,
	open: SubmittedJob[],
	budget: number,
	signal?: AbortSignal,
): Promise<ListReading> {
	const found = new Map<string, ApiframeJob>();
	const missing = new Map(open.map((job) => [job.jobId, job]));
	const model = sharedModel(open);
	let cursor: string | undefined;
	let foundOnLastPage = 0;
	let stale = false;
	for (let pages = 0; missing.size > 0 && (pages < budget || foundOnLastPage >= 2); pages++) {
		let page;
		try {
			page = await fetchJobPage.call(this, { limit: JOB_LIST_PAGE_MAX, model, cursor }, open[0].itemIndex, signal, 'once');
		} catch (error) {
			// A cancel ends the run; so does a redirect off the Base URL, which no read by ID may paper over.
			if (signal?.aborted || isRefusedRedirect(error)) throw toNodeError(this.getNode(), error, open[0].itemIndex);
			const retryAfterMs = error instanceof NodeApiError ? (error.context.retryAfterMs as number | undefined) : undefined;
			return { found, failure: { retryAfterMs } };
		}
		foundOnLastPage = 0;
		for (const job of page.jobs) {
			const open = missing.get(job.id);
			if (!open) continue;
			missing.delete(job.id);
			// Behind what a read by ID already gave: the list is stale, so the job is read by ID.
			if (isBehind(job, open.lastSeen)) {
				stale = true;
				continue;
			}
			found.set(job.id, job);
			foundOnLastPage++;
		}
		if (!page.hasMore || !page.nextCursor || page.jobs.length === 0) break;
		if (isPastAll(page.jobs[page.jobs.length - 1], [...missing.values()])) break;
		cursor = page.nextCursor;
	}
	return { found, failure: stale ? {} : null };
}

/** How far a job has got: queued, processing (then by progress), finished. */
function stageOf(job: ApiframeJob): number {
	if (TERMINAL_STATUSES.has(job.status)) return 2;
	return job.status === 'QUEUED' ? 0 : 1;
}

/** Whether the listed job is behind the same job as last read: the list answered from an older state. */
function isBehind(listed: ApiframeJob, lastSeen: ApiframeJob | null): boolean {
	if (!lastSeen) return false;
	const [was, is] = [stageOf(lastSeen), stageOf(listed)];
	if (is !== was) return is < was;
	return typeof listed.progress === 'number' && typeof lastSeen.progress === 'number' && listed.progress < lastSeen.progress;
}

/** Whether the list, having reached `last`, is past every missing job: each is known to be newer. */
function isPastAll(last: ApiframeJob, missing: SubmittedJob[]): boolean {
	const reached = createdAtOf(last);
	if (reached === undefined) return false;
	return missing.every((job) => {
		const createdAt = createdAtOf(job.lastSeen);
		return createdAt !== undefined && createdAt > reached;
	});
}

/** Reads each job by ID: a failed read fails that item, a cancel the run. */
async function readEach(this: ApiContext, jobs: SubmittedJob[], concurrency: number, signal?: AbortSignal): Promise<ReadJob[]> {
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

/** Reads the given open jobs once, in their order, as the module comment describes. */
export async function readJobs(this: ApiContext, jobs: SubmittedJob[], settings: ReadSettings): Promise<ReadJob[]> {
	const { concurrency, signal, list } = settings;
	const budget = listPageBudget(jobs, settings.run ?? jobs);
	if (jobs.length <= budget || (list && !list.tryThisRound())) return await readEach.call(this, jobs, concurrency, signal);
	const { found, failure } = await findInList.call(this, jobs, budget, signal);
	if (failure) list?.failed(failure.retryAfterMs);
	else list?.succeeded();
	return await replacePicked(
		jobs.map((job): ReadJob => {
			const listed = found.get(job.jobId);
			return listed ? observe(job, listed) : job;
		}),
		(job): job is SubmittedJob => isSubmitted(job) && !found.has(job.jobId),
		async (missing) => await readEach.call(this, missing, concurrency, signal),
	);
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
		const read = await readJobs.call(this, submitted, { concurrency, signal, run: jobs });
		return read.map((job, index) => (job.kind === 'failed' ? submitted[index] : job));
	});
}
