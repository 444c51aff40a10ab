import type { IDataObject } from 'n8n-workflow';
import { createHash } from 'node:crypto';
import { z } from 'zod';

import { JOB_EVENTS, type JobEvent } from '../schemas/jobEvents';
import { JOB_ID_PATTERN, type ApiframeJob } from '../transport/responses';

/**
 * The fields of a job event the node reads. Apiframe's docs, its SDK and its SDK's tests disagree on
 * the payload's shape, so every field is optional here, a field of an unexpected type is read as
 * absent rather than refusing the delivery, and unknown keys are kept.
 */
const payloadSchema = z
	.object({
		event: z.string().optional().catch(undefined),
		type: z.string().optional().catch(undefined),
		jobId: z.string().min(1).optional().catch(undefined),
		status: z.string().optional().catch(undefined),
		progress: z.number().nullable().optional().catch(undefined),
		result: z.unknown().optional(),
		error: z.string().nullable().optional().catch(undefined),
		model: z.string().optional().catch(undefined),
		creditCost: z.number().nullable().optional().catch(undefined),
		completedAt: z.string().nullable().optional().catch(undefined),
	})
	.passthrough();

type Payload = z.infer<typeof payloadSchema>;

/** A signed delivery the node understood: which job, and which of Apiframe's events. */
export interface WebhookEvent {
	event: JobEvent;
	jobId: string;
	status?: string;
	progress?: number | null;
	result?: unknown;
	error?: string | null;
	model?: string;
	creditCost?: number | null;
	completedAt?: string | null;
	/** The payload's other keys, kept as sent. */
	[key: string]: unknown;
}

/** Where the event's name was read from, for the output and the logs. */
export type EventSource = 'event' | 'type' | 'header' | 'status';

/** An X-Webhook-Event header that named another event than the signed body, which decided. */
export interface OverruledHeader {
	header: string;
	/** The event the body names. */
	event: JobEvent;
}

/** What one signed delivery holds: a job event, or a payload the node cannot map to one. */
export type Delivery =
	| {
			kind: 'jobEvent';
			event: WebhookEvent;
			source: EventSource;
			/** Set when the header named another event than the body: the body's was taken. */
			overruledHeader?: OverruledHeader;
			/** The payload as sent. */
			body: IDataObject;
			/** Identifies a repeat of the same bytes. */
			digest: string;
	  }
	| {
			kind: 'other';
			/** The event name as sent, when the delivery named one. */
			name: string | null;
			/** Why the node could not map it, for the log line and the output. */
			reason: string;
			/** The parsed JSON, or the body as text when it is not JSON. */
			body: unknown;
			/** Identifies a repeat of the same bytes. */
			digest: string;
	  };

// No job event exists for a cancelled job; it ends without a video, as a failed one does.
const EVENT_OF_STATUS: Record<string, JobEvent> = {
	QUEUED: 'progress',
	PROCESSING: 'progress',
	COMPLETED: 'completed',
	FAILED: 'failed',
	CANCELLED: 'failed',
};

const STATUS_OF_EVENT: Record<JobEvent, string> = {
	progress: 'PROCESSING',
	completed: 'COMPLETED',
	failed: 'FAILED',
};

/** `completed`, `Completed`, `job.completed` and `job_completed` all name the completed event. */
function toJobEvent(name: string): JobEvent | undefined {
	const bare = name.trim().toLowerCase().replace(/^job[._-]/, '');
	return (JOB_EVENTS as readonly string[]).includes(bare) ? (bare as JobEvent) : undefined;
}

/**
 * The event's name, from the first source that gives one: `event`, `type`, the status, and only
 * then the X-Webhook-Event header. The signature covers the body, never a header, so a header can
 * name the event only of a body that names none.
 */
function nameOf(payload: Payload, header: string | undefined): { name: string; source: EventSource } | undefined {
	if (payload.event) return { name: payload.event, source: 'event' };
	if (payload.type) return { name: payload.type, source: 'type' };
	// A status the node does not know still names the event, as one the node cannot map.
	if (payload.status) return { name: EVENT_OF_STATUS[payload.status.toUpperCase()] ?? payload.status, source: 'status' };
	return header ? { name: header, source: 'header' } : undefined;
}

/** Reads a signed delivery's raw body (and its X-Webhook-Event header) as a job event if it is one. */
export function readDelivery(rawBody: Buffer, header: string | undefined): Delivery {
	const digest = createHash('sha256').update(rawBody).digest('hex');
	const text = rawBody.toString('utf8');
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return { kind: 'other', name: null, reason: 'the body is not JSON', body: text, digest };
	}
	const payload = payloadSchema.safeParse(parsed);
	if (!payload.success) return { kind: 'other', name: null, reason: 'the body is not a JSON object', body: parsed, digest };
	const named = nameOf(payload.data, header);
	if (!named) {
		return { kind: 'other', name: null, reason: 'it names no event (no event, type, status or X-Webhook-Event)', body: parsed, digest };
	}
	const event = toJobEvent(named.name);
	if (!event) return { kind: 'other', name: named.name, reason: `"${named.name}" is not an event the node knows`, body: parsed, digest };
	const { jobId } = payload.data;
	if (!jobId) return { kind: 'other', name: named.name, reason: 'it has no jobId', body: parsed, digest };
	// The job ID becomes a dedupe key and a request path: only Apiframe's own form of it is taken.
	if (!JOB_ID_PATTERN.test(jobId)) {
		return { kind: 'other', name: named.name, reason: 'its jobId is not an Apiframe job ID (a UUID)', body: parsed, digest };
	}
	const headerEvent = header && named.source !== 'header' ? toJobEvent(header) : undefined;
	const overruled = header && named.source !== 'header' && headerEvent !== event ? { header, event } : undefined;
	return {
		kind: 'jobEvent',
		event: { ...payload.data, event, jobId },
		source: named.source,
		...(overruled ? { overruledHeader: overruled } : {}),
		body: parsed as IDataObject,
		digest,
	};
}

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

/**
 * The identity of a delivery, from signed content only: a repeated one is acknowledged but starts
 * no execution. An event named by the header alone is told apart by its body's bytes as well, so
 * that a header can never make one delivery pass for another.
 */
export function deliveryKey(delivery: Delivery): string {
	if (delivery.kind === 'other') return `other:${delivery.digest}`;
	const { event } = delivery;
	const progress = event.event === 'progress' ? `:${event.progress ?? ''}` : '';
	const bytes = delivery.source === 'header' ? `:${delivery.digest}` : '';
	return `${event.jobId}:${event.event}${progress}${bytes}`;
}
