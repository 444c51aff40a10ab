import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { errorOutput } from '../../../helpers/errors';
import type { ApiframeJob } from '../../../helpers/interfaces';
import { jobToOutput } from '../../../helpers/jobOutput';
import type { TrackedJob } from '../../../helpers/trackedJob';

/**
 * The key under which a sleeping run keeps its state in each item of the node's execution-stack
 * entry. n8n persists that entry with the waiting execution, so both the callback (webhook()) and a
 * timeout resume (which passes the entry's items on unchanged) see it.
 */
export const STATE_KEY = 'seedanceCallback';

/** What the webhook needs to finish the run like the polling mode would. */
export interface CallbackRunSettings {
	download: false | { videoProperty: string; lastFrameProperty: string };
	concurrency: number;
	downloadConcurrency: number;
	timeoutSeconds: number;
}

export interface CallbackItemState {
	itemIndex: number;
	/** Null when the item failed before a job existed: its output is already final. */
	jobId: string | null;
	/** The last status read before sleeping; a terminal one need not be checked again. */
	status: string | null;
	idempotencyKey: string | null;
	run: CallbackRunSettings;
}

export interface CallbackItem {
	json: IDataObject;
	state: CallbackItemState;
}

/**
 * The item a sleeping run leaves behind for one input item. It is already what a timeout must
 * output: the job's last known state and an `error` naming the job ID, so a timeout never ends in
 * silence.
 */
export function toStateItem(entry: TrackedJob, run: CallbackRunSettings): INodeExecutionData {
	const idempotencyKey = entry.idempotencyKey ?? null;
	const json: IDataObject = entry.job ? { ...jobToOutput(entry.job) } : {};
	json.idempotencyKey = idempotencyKey;
	if (entry.error) {
		const failure = errorOutput(entry.error as Error & { context?: IDataObject });
		Object.assign(json, failure, { jobId: failure.jobId ?? entry.jobId ?? null });
	} else {
		const status = entry.job?.status ?? 'QUEUED';
		Object.assign(json, {
			jobId: entry.jobId,
			error: `Timed out after ${run.timeoutSeconds} s waiting for Apiframe's callback for job ${entry.jobId} (last seen ${status}). The job keeps running; pick it up with Job → Get.`,
			errorDescription: `Job ID: ${entry.jobId}`,
			httpStatus: null,
			requestId: null,
		});
	}
	const state: CallbackItemState = {
		itemIndex: entry.itemIndex,
		jobId: entry.error ? null : (entry.jobId ?? null),
		status: entry.job?.status ?? null,
		idempotencyKey,
		run,
	};
	json[STATE_KEY] = state as unknown as IDataObject;
	return { json, pairedItem: { item: entry.itemIndex } };
}

function isState(value: unknown): value is CallbackItemState {
	if (!value || typeof value !== 'object') return false;
	const state = value as Partial<CallbackItemState>;
	return typeof state.itemIndex === 'number' && typeof state.run === 'object' && state.run !== null;
}

/** The run's items as execute() left them; empty when the input is not a sleeping run's state. */
export function readStateItems(items: unknown): CallbackItem[] {
	if (!Array.isArray(items)) return [];
	const found: CallbackItem[] = [];
	for (const item of items) {
		const json = (item as { json?: IDataObject } | null)?.json;
		const state = json?.[STATE_KEY];
		if (!json || !isState(state)) return [];
		found.push({ json, state });
	}
	return found.sort((a, b) => a.state.itemIndex - b.state.itemIndex);
}

/** The job saved in a state item, when its status was already terminal before sleeping. */
export function savedJob(item: CallbackItem): ApiframeJob | undefined {
	const job = item.json.job as unknown as ApiframeJob | undefined;
	return job && typeof job.id === 'string' ? job : undefined;
}
