import type { IExecuteFunctions } from 'n8n-workflow';

import { fetchJobPage } from '../transport/apiframe';
import { createdAtOf, JOB_LIST_PAGE_MAX, type ApiframeJob, type JobStatus } from '../transport/responses';

export interface JobListFilters {
	status?: JobStatus;
	model?: string;
	/** Epoch milliseconds; only jobs created at or after it. Applied here: the API has no time filter. */
	createdAfter?: number;
	/** Epoch milliseconds; only jobs created before it. Applied here as well. */
	createdBefore?: number;
	/** How many jobs at most; undefined: all that match. */
	limit?: number;
}

/** Whether a job lies inside the time bounds; a job without a readable createdAt is kept. */
function inTimeBounds(job: ApiframeJob, filters: JobListFilters): boolean {
	const createdAt = createdAtOf(job);
	if (createdAt === undefined) return true;
	if (filters.createdAfter !== undefined && createdAt < filters.createdAfter) return false;
	if (filters.createdBefore !== undefined && createdAt >= filters.createdBefore) return false;
	return true;
}

/**
 * The account's jobs matching the filters, newest first, read a page at a time. `GET /v2/jobs` is
 * ordered by creation, newest first, so paging stops at the first job older than Created After:
 * every later page is older still.
 */
export async function listJobs(
	this: IExecuteFunctions,
	filters: JobListFilters,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<ApiframeJob[]> {
	const found: ApiframeJob[] = [];
	const timeBounded = filters.createdAfter !== undefined || filters.createdBefore !== undefined;
	let cursor: string | undefined;
	for (;;) {
		const wanted = filters.limit === undefined ? JOB_LIST_PAGE_MAX : filters.limit - found.length;
		// With time bounds some jobs of a page may be skipped, so full pages save requests.
		const limit = timeBounded ? JOB_LIST_PAGE_MAX : Math.min(JOB_LIST_PAGE_MAX, wanted);
		const page = await fetchJobPage.call(this, { status: filters.status, model: filters.model, limit, cursor }, itemIndex, signal);
		for (const job of page.jobs) {
			if (filters.limit !== undefined && found.length >= filters.limit) return found;
			const createdAt = createdAtOf(job);
			if (filters.createdAfter !== undefined && createdAt !== undefined && createdAt < filters.createdAfter) return found;
			if (inTimeBounds(job, filters)) found.push(job);
		}
		if (filters.limit !== undefined && found.length >= filters.limit) return found;
		if (!page.hasMore || !page.nextCursor) return found;
		cursor = page.nextCursor;
	}
}
