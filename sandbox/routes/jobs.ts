import { z } from 'zod';
import type { RouteContext } from '../context';
import { sendError, sendJson, sendValidationError } from '../http/respond';
import { jobToJson } from '../state/job-view';
import { jobStateAt, newestFirst, type JobRecord } from '../state/jobs';
import { zodIssuesToDetails } from '../validation/details';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GET /v2/jobs/{id} */
export function getJob(rc: RouteContext): void {
	const id = decodeURIComponent(rc.params[0]);
	if (!UUID.test(id)) return sendError(rc.res, 400, 'Invalid job id: expected a UUID');
	const job = rc.ctx.jobs.get(id.toLowerCase());
	// another key's job is as invisible as a missing one
	if (!job || job.ownerKey !== rc.apiKey) return sendError(rc.res, 404, 'Job not found');
	sendJson(rc.res, 200, jobToJson(job, Date.now(), rc.ctx.baseUrl()));
}

const listQuerySchema = z.object({
	status: z.enum(['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED']).optional(),
	model: z.string().min(1).optional(),
	limit: z
		.string()
		.regex(/^\d+$/, 'Expected an integer')
		.transform(Number)
		.pipe(z.number().int().min(1).max(100))
		.optional(),
	cursor: z.string().min(1).optional(),
	scope: z.enum(['user', 'team']).optional(),
	search: z.string().uuid().optional(),
	include_models: z.enum(['true', 'false']).optional(),
});

/** Where the previous page ended: the list's sort key (createdAt desc, id desc) of its last job. */
interface Cursor {
	createdAt: number;
	id: string;
}

function encodeCursor(job: JobRecord): string {
	return Buffer.from(JSON.stringify({ createdAt: job.createdAt, id: job.id })).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
	try {
		const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
		return Number.isInteger(value.createdAt) && typeof value.id === 'string' && UUID.test(value.id)
			? { createdAt: value.createdAt!, id: value.id }
			: null;
	} catch {
		return null;
	}
}

/** Whether the job comes after the cursor's job in the list's order. */
function isAfter(job: JobRecord, cursor: Cursor): boolean {
	return newestFirst(job, cursor) > 0;
}

/**
 * GET /v2/jobs: newest first, cursor keyed on (createdAt desc, id desc). `scope=team` lists every
 * job of the team; the sandbox's one user is the team's OWNER, an admin, so it may always ask.
 */
export function listJobs(rc: RouteContext): void {
	const parsed = listQuerySchema.safeParse(Object.fromEntries(rc.url.searchParams));
	if (!parsed.success) return sendValidationError(rc.res, zodIssuesToDetails(parsed.error.issues), 'Invalid query parameters');
	const query = parsed.data;
	const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
	if (query.cursor !== undefined && cursor === null) return sendValidationError(rc.res, { cursor: ['Invalid cursor'] }, 'Invalid query parameters');

	// A stale list (a fault) answers as it stood then: jobs created since are not in it yet. A fresh
	// one lists every job there is, whatever its createdAt says.
	const staleMs = rc.fault?.staleMs;
	const now = Date.now() - (staleMs ?? 0);
	const own = rc.ctx.jobs
		.all()
		.filter((job) => (query.scope === 'team' || job.ownerKey === rc.apiKey) && (staleMs === undefined || job.createdAt <= now));
	const matching = own.filter(
		(job) =>
			(query.status === undefined || jobStateAt(job, now).status === query.status) &&
			(query.model === undefined || job.model === query.model) &&
			(query.search === undefined || job.id === query.search.toLowerCase()) &&
			(cursor === null || isAfter(job, cursor)),
	);
	const limit = query.limit ?? 20;
	const page = matching.slice(0, limit);
	const hasMore = matching.length > limit;
	const body: Record<string, unknown> = {
		// The OpenAPI file's list item is a job without its `input`; only GET /v2/jobs/{id} carries it.
		jobs: page.map((job) => {
			const { input: _input, ...listed } = jobToJson(job, now, rc.ctx.baseUrl());
			return listed;
		}),
		nextCursor: hasMore ? encodeCursor(page[page.length - 1]) : null,
		hasMore,
	};
	if (query.include_models === 'true') body.models = [...new Set(own.map((job) => job.model))].sort();
	sendJson(rc.res, 200, body);
}
