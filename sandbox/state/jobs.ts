import { randomUUID } from 'node:crypto';
import type { SeedanceModelId } from '../models';
import type { ResultShape } from '../options';
import type { GenerateVideoRequest } from '../validation/generate-request';

export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';
export type WebhookStatus = 'pending' | 'delivered' | 'failed' | null;

export interface JobRecord {
	id: string;
	ownerKey: string;
	model: SeedanceModelId;
	/** The submitted body, as sent. */
	input: unknown;
	request: GenerateVideoRequest;
	createdAt: number;
	queueMs: number;
	processingMs: number;
	/** When set, the job is FAILED from this instant on. */
	failAt: number | null;
	/** When set, the job is CANCELLED from this instant on (as when cancelled in Apiframe's dashboard). */
	cancelAt: number | null;
	errorMessage: string | null;
	/** Files purged: served as 404 once the job is COMPLETED. */
	expired: boolean;
	creditCost: number;
	refunded: boolean;
	videoBytes: number;
	resultShape: ResultShape;
	lastFrameKey: string;
	webhookStatus: WebhookStatus;
}

export interface JobState {
	status: JobStatus;
	progress: number;
	/** Epoch ms of COMPLETED, FAILED or CANCELLED, else null. */
	finishedAt: number | null;
}

function progressAt(job: JobRecord, t: number): number {
	const intoProcessing = t - job.createdAt - job.queueMs;
	if (intoProcessing <= 0) return 0;
	return Math.min(99, Math.floor((100 * intoProcessing) / job.processingMs));
}

/** State is a pure function of wall time, so no per-job timer is needed. */
export function jobStateAt(job: JobRecord, now: number): JobState {
	if (job.failAt !== null && now >= job.failAt) return { status: 'FAILED', progress: progressAt(job, job.failAt), finishedAt: job.failAt };
	if (job.cancelAt !== null && now >= job.cancelAt) return { status: 'CANCELLED', progress: progressAt(job, job.cancelAt), finishedAt: job.cancelAt };
	const elapsed = now - job.createdAt;
	if (elapsed < job.queueMs) return { status: 'QUEUED', progress: 0, finishedAt: null };
	if (elapsed < job.queueMs + job.processingMs) return { status: 'PROCESSING', progress: progressAt(job, now), finishedAt: null };
	return { status: 'COMPLETED', progress: 100, finishedAt: job.createdAt + job.queueMs + job.processingMs };
}

export function isTerminal(status: JobStatus): boolean {
	return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
}

export type NewJob = Omit<JobRecord, 'id'>;

/** `GET /v2/jobs` order, as the OpenAPI file states it: (createdAt desc, id desc). */
export function newestFirst(a: Pick<JobRecord, 'createdAt' | 'id'>, b: Pick<JobRecord, 'createdAt' | 'id'>): number {
	return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export class JobStore {
	private readonly byId = new Map<string, JobRecord>();

	create(init: NewJob): JobRecord {
		const job: JobRecord = { ...init, id: randomUUID() };
		this.byId.set(job.id, job);
		return job;
	}

	get(id: string): JobRecord | undefined {
		return this.byId.get(id);
	}

	/** In the list's order: createdAt descending, then id descending (jobs of the same millisecond). */
	all(): JobRecord[] {
		return [...this.byId.values()].sort(newestFirst);
	}

	clear(): void {
		this.byId.clear();
	}
}
