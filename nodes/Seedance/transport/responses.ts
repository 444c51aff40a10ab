import { z } from 'zod';

/**
 * What Apiframe answers, checked before anything reads it. Only what the node relies on is
 * required; documented fields are typed where present, and unknown fields are kept, not rejected,
 * since the API leaves several things open (see the `result` shape).
 */

/** A job's statuses, in the order a job goes through them. */
export const JOB_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The statuses after which a job changes no more. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set<JobStatus>(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Apiframe's job IDs are UUIDs. */
export const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job as `GET /v2/jobs/{id}` returns it. `result` has no fixed shape (see media/resultUrls.ts). */
export const jobSchema = z
	.object({
		id: z.string().min(1),
		status: z.string().min(1),
		model: z.string().optional(),
		progress: z.number().nullish(),
		result: z.unknown().optional(),
		error: z.string().nullish(),
		creditCost: z.number().nullish(),
		webhookStatus: z.string().nullish(),
		createdAt: z.string().optional(),
		completedAt: z.string().nullish(),
		expired: z.boolean().optional(),
		input: z.record(z.unknown()).nullish(),
	})
	.passthrough();

export type ApiframeJob = z.infer<typeof jobSchema>;

/** When Apiframe created the job, in epoch milliseconds; undefined when it gave no readable time. */
export function createdAtOf(job: ApiframeJob | null): number | undefined {
	const time = job?.createdAt === undefined ? Number.NaN : Date.parse(job.createdAt);
	return Number.isNaN(time) ? undefined : time;
}

/** One page of `GET /v2/jobs`, newest first; `nextCursor` asks for the next one while `hasMore`. */
export const jobListSchema = z
	.object({
		jobs: z.array(jobSchema),
		nextCursor: z.string().nullish(),
		hasMore: z.boolean(),
	})
	.passthrough();

export type JobListPage = z.infer<typeof jobListSchema>;

/** The most jobs `GET /v2/jobs` returns per page. */
export const JOB_LIST_PAGE_MAX = 100;

/** The answer to `POST /v2/videos/generate`. */
export const jobAcceptedSchema = z.object({ jobId: z.string().min(1), status: z.string().min(1) }).passthrough();

/** The answer to `GET /v2/me`: user, team (with its credit balance) and key, each passed on as Apiframe gives it. */
export const accountSchema = z
	.object({
		user: z.object({}).passthrough().nullish(),
		team: z.object({ credits: z.number().finite().optional() }).passthrough().nullish(),
	})
	.passthrough();

/** The answer to `POST /v2/uploads`: a short-lived URL of the uploaded file. */
export const uploadSchema = z.object({ url: z.string().url() }).passthrough();

/** The answer to `POST /v2/assets/create`. */
export const assetSchema = z.object({ assetId: z.string().min(1) }).passthrough();
