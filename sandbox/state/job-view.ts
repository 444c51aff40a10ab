import { jobStateAt, type JobRecord, type JobStatus, type WebhookStatus } from './jobs';

export interface JobJson {
	id: string;
	status: JobStatus;
	model: string;
	progress: number;
	result: unknown;
	error: string | null;
	creditCost: number;
	webhookStatus: WebhookStatus;
	createdAt: string;
	completedAt: string | null;
	expired: boolean;
	input: unknown;
}

export function videoUrl(baseUrl: string, jobId: string): string {
	return `${baseUrl}/files/${jobId}.mp4`;
}

export function lastFrameUrl(baseUrl: string, jobId: string): string {
	return `${baseUrl}/files/${jobId}-last-frame.png`;
}

/** Bare URL, or an object whose last-frame key is configurable because the real one is undocumented. */
export function jobResult(job: JobRecord, baseUrl: string): unknown {
	const video = videoUrl(baseUrl, job.id);
	if (job.resultShape === 'string') return video;
	const result: Record<string, string> = { videoUrl: video };
	if (job.request.seedanceParams?.return_last_frame === true) result[job.lastFrameKey] = lastFrameUrl(baseUrl, job.id);
	return result;
}

export function jobToJson(job: JobRecord, now: number, baseUrl: string): JobJson {
	const state = jobStateAt(job, now);
	return {
		id: job.id,
		status: state.status,
		model: job.model,
		progress: state.progress,
		result: state.status === 'COMPLETED' ? jobResult(job, baseUrl) : null,
		error: state.status === 'FAILED' ? job.errorMessage : null,
		creditCost: job.creditCost,
		webhookStatus: job.webhookStatus,
		createdAt: new Date(job.createdAt).toISOString(),
		completedAt: state.finishedAt === null ? null : new Date(state.finishedAt).toISOString(),
		expired: state.status === 'COMPLETED' && job.expired,
		input: job.input,
	};
}
