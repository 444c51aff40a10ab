import { z } from 'zod';

import { JOB_EVENTS } from '../schemas/jobEvents';
import type { ApiframeJob } from '../transport/responses';

/** A job event as Apiframe posts it; unknown extra keys are kept, not rejected. */
export const webhookEventSchema = z
	.object({
		event: z.enum(JOB_EVENTS),
		jobId: z.string().min(1),
		status: z.string().optional(),
		progress: z.number().nullable().optional(),
		result: z.unknown().optional(),
		error: z.string().nullable().optional(),
		model: z.string().optional(),
		creditCost: z.number().nullable().optional(),
		completedAt: z.string().nullable().optional(),
	})
	.passthrough();

export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const STATUS_OF_EVENT: Record<WebhookEvent['event'], string> = {
	progress: 'PROCESSING',
	completed: 'COMPLETED',
	failed: 'FAILED',
};

/** The event seen as a job, so the trigger's output has the same shape as the Seedance node's. */
export function eventToJob(event: WebhookEvent): ApiframeJob {
	return {
		id: event.jobId,
		status: event.status ?? STATUS_OF_EVENT[event.event],
		model: event.model,
		progress: event.progress ?? (event.event === 'completed' ? 100 : null),
		result: event.result ?? null,
		error: event.error ?? null,
		creditCost: event.creditCost ?? null,
		completedAt: event.completedAt ?? null,
	};
}

/** The identity of a delivery: a repeated one is acknowledged but starts no execution. */
export function deliveryKey(event: WebhookEvent): string {
	const progress = event.event === 'progress' ? `:${event.progress ?? ''}` : '';
	return `${event.jobId}:${event.event}${progress}`;
}
