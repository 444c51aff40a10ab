import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { toOutputItem, type JobExtras } from '../../../../jobs/output';
import {
	submitted,
	type FailedJob,
	type InvalidJob,
	type JobAfterSubmit,
	type SettledJob,
	type SubmittedJob,
} from '../../../../jobs/trackedJob';
import { DEFAULT_DOWNLOAD_LIMITS, type DownloadPlan } from '../../../../media/downloadLimits';
import { jobSchema, TERMINAL_STATUSES, type ApiframeJob } from '../../../../transport/responses';

/**
 * The key under which a sleeping run keeps its state in each item of the node's execution-stack
 * entry. n8n persists that entry with the waiting execution, so both the callback (webhook()) and a
 * timeout resume (which passes the entry's items on unchanged) see it.
 */
export const STATE_KEY = 'seedanceCallback';

/** Raised whenever the saved state changes shape; readers accept this one and the ones before. */
export const CALLBACK_STATE_VERSION = 1;

/** What the webhook needs to finish the run like the polling mode would. */
export interface CallbackRunSettings {
	download: false | DownloadPlan;
	concurrency: number;
	downloadConcurrency: number;
	timeoutSeconds: number;
}

/**
 * An item's job as a sleeping run saves it: a job still to settle, or (when the job is null) an
 * item whose saved output is already final. The job's last read travels in the output's `job`.
 */
export type SavedJob =
	| Pick<SubmittedJob | SettledJob, 'kind' | 'itemIndex' | 'jobId' | 'idempotencyKey'>
	| Pick<InvalidJob | FailedJob, 'kind' | 'itemIndex'>;

export type CallbackItemState = SavedJob & { version: typeof CALLBACK_STATE_VERSION; run: CallbackRunSettings };

const runSchema = z.object({
	download: z.union([
		z.literal(false),
		z.object({
			videoProperty: z.string(),
			lastFrameProperty: z.string(),
			// A run put to sleep before downloads had limits gets the defaults.
			deadlineMs: z.number().default(DEFAULT_DOWNLOAD_LIMITS.deadlineMs),
			maxBytes: z.number().nullable().default(DEFAULT_DOWNLOAD_LIMITS.maxBytes),
		}),
	]),
	concurrency: z.number(),
	downloadConcurrency: z.number(),
	timeoutSeconds: z.number(),
});

const savedJobSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('submitted'), itemIndex: z.number(), jobId: z.string(), idempotencyKey: z.string().nullable() }),
	z.object({ kind: z.literal('settled'), itemIndex: z.number(), jobId: z.string(), idempotencyKey: z.string().nullable() }),
	z.object({ kind: z.literal('invalid'), itemIndex: z.number() }),
	z.object({ kind: z.literal('failed'), itemIndex: z.number() }),
]);

const currentStateSchema = z.object({ version: z.literal(CALLBACK_STATE_VERSION), run: runSchema });

/** The state saved before states had a version: the job's last status instead of its kind. */
const unversionedStateSchema = z.object({
	version: z.undefined(),
	itemIndex: z.number(),
	jobId: z.string().nullable(),
	status: z.string().nullish(),
	idempotencyKey: z.string().nullish(),
	run: runSchema,
});

/**
 * The item a sleeping run leaves behind for one input item. It is already what a timeout must
 * output: the job's last known state (with Generate's `extraJson`, such as `promptSent`, which the
 * callback reads back from it) and an `error` naming the job ID, so a timeout never ends in silence.
 */
export function toStateItem(job: JobAfterSubmit, run: CallbackRunSettings, extraJson: JobExtras): INodeExecutionData {
	const { json } = toOutputItem(job, extraJson);
	let saved: SavedJob;
	if (job.kind === 'submitted' || job.kind === 'settled') {
		const status = (job.kind === 'submitted' ? job.lastSeen : job.job)?.status ?? 'QUEUED';
		Object.assign(json, {
			jobId: job.jobId,
			error: `Timed out after ${run.timeoutSeconds} s waiting for Apiframe's callback for job ${job.jobId} (last seen ${status}). The job keeps running; pick it up with Job → Get.`,
			errorDescription: `Job ID: ${job.jobId}`,
			httpStatus: null,
			requestId: null,
		});
		saved = { kind: job.kind, itemIndex: job.itemIndex, jobId: job.jobId, idempotencyKey: job.idempotencyKey };
	} else {
		saved = { kind: job.kind, itemIndex: job.itemIndex };
	}
	const state: CallbackItemState = { ...saved, version: CALLBACK_STATE_VERSION, run };
	json[STATE_KEY] = { ...state };
	return { json, pairedItem: { item: job.itemIndex } };
}

export interface CallbackItem {
	/** The item's output as saved, without the state. */
	json: IDataObject;
	saved: SavedJob;
	run: CallbackRunSettings;
}

/** What the webhook finds in the node's input. */
export type SavedRun =
	| { kind: 'none' }
	| { kind: 'readable'; items: CallbackItem[] }
	/** A state this node cannot read (saved by a later version): the job IDs are still known. */
	| { kind: 'unreadable'; version: unknown; items: IDataObject[]; jobIds: string[] };

function readSavedJob(state: Record<string, unknown>): { saved: SavedJob; run: CallbackRunSettings } | undefined {
	const current = currentStateSchema.safeParse(state);
	const job = savedJobSchema.safeParse(state);
	if (current.success && job.success) return { saved: job.data, run: current.data.run };
	const unversioned = unversionedStateSchema.safeParse(state);
	if (!unversioned.success) return undefined;
	const { itemIndex, jobId, status, idempotencyKey, run } = unversioned.data;
	if (jobId === null) return { saved: { kind: 'failed', itemIndex }, run };
	const kind = TERMINAL_STATUSES.has(status ?? '') ? 'settled' : 'submitted';
	return { saved: { kind, itemIndex, jobId, idempotencyKey: idempotencyKey ?? null }, run };
}

/** The run's items as execute() left them, read tolerantly: this version's state, or an older one. */
export function readSavedRun(items: unknown): SavedRun {
	if (!Array.isArray(items) || items.length === 0) return { kind: 'none' };
	const found: CallbackItem[] = [];
	for (const item of items) {
		const json = (item as { json?: IDataObject } | null)?.json;
		const state = json?.[STATE_KEY];
		if (!json || !state || typeof state !== 'object') return { kind: 'none' };
		const read = readSavedJob(state as Record<string, unknown>);
		if (!read) return unreadable(items);
		const { [STATE_KEY]: _state, ...output } = json;
		found.push({ json: output, ...read });
	}
	return { kind: 'readable', items: found.sort((a, b) => a.saved.itemIndex - b.saved.itemIndex) };
}

function unreadable(items: unknown[]): SavedRun {
	const outputs = items.map((item) => ({ ...(item as { json: IDataObject }).json }));
	const version = (outputs[0]?.[STATE_KEY] as IDataObject | undefined)?.version;
	const jobIds = outputs.flatMap((json) => (typeof json.jobId === 'string' ? [json.jobId] : []));
	for (const json of outputs) delete json[STATE_KEY];
	return { kind: 'unreadable', version, items: outputs, jobIds };
}

function savedLastRead(item: CallbackItem): ApiframeJob | null {
	const job = jobSchema.safeParse(item.json.job);
	return job.success ? job.data : null;
}

/** The job of a saved item, back in its pipeline state; null for an item whose output is final. */
export function restoreJob(item: CallbackItem): SubmittedJob | SettledJob | null {
	const { saved } = item;
	if (!('jobId' in saved)) return null;
	const lastRead = savedLastRead(item);
	if (saved.kind === 'settled' && lastRead && TERMINAL_STATUSES.has(lastRead.status)) {
		return { ...saved, kind: 'settled', job: lastRead, binary: null };
	}
	return submitted(saved.itemIndex, saved.jobId, saved.idempotencyKey, lastRead);
}
