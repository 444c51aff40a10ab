export type JobStatus = 'QUEUED' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** A job as `GET /v2/jobs/{id}` returns it. `result` has no fixed shape (see jobOutput.ts). */
export interface ApiframeJob {
	id: string;
	status: JobStatus | string;
	model?: string;
	progress?: number | null;
	result?: unknown;
	error?: string | null;
	creditCost?: number | null;
	webhookStatus?: string | null;
	createdAt?: string;
	completedAt?: string | null;
	expired?: boolean;
	input?: Record<string, unknown> | null;
}

export interface JobAccepted {
	jobId: string;
	status: string;
}
