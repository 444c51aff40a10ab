import type { JobRecord, JobState } from '../state/jobs';
import { jobResult } from '../state/job-view';

export type WebhookPayload = Record<string, unknown>;

export function progressPayload(job: JobRecord, state: JobState): WebhookPayload {
	return { event: 'progress', jobId: job.id, status: state.status, progress: state.progress, model: job.model };
}

export function completedPayload(job: JobRecord, state: JobState, baseUrl: string): WebhookPayload {
	return {
		event: 'completed',
		jobId: job.id,
		status: 'COMPLETED',
		progress: 100,
		result: jobResult(job, baseUrl),
		model: job.model,
		creditCost: job.creditCost,
		completedAt: new Date(state.finishedAt ?? Date.now()).toISOString(),
	};
}

/** A FAILED or CANCELLED job; the reference names no event of its own for a cancel. */
export function failedPayload(job: JobRecord, state: JobState): WebhookPayload {
	if (state.status === 'CANCELLED') return { event: 'failed', jobId: job.id, status: 'CANCELLED', error: null, model: job.model };
	return { event: 'failed', jobId: job.id, status: 'FAILED', error: job.errorMessage ?? 'Generation failed', model: job.model };
}
