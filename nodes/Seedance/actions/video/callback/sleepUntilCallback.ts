import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../../../helpers/concurrency';
import { operationError } from '../../../helpers/errors';
import { TERMINAL_STATUSES } from '../../../helpers/interfaces';
import { fetchJob } from '../../../helpers/polling';
import type { SettleSettings } from '../../../helpers/settleJobs';
import type { TrackedJob } from '../../../helpers/trackedJob';
import { getBaseUrl } from '../../../transport';
import { toStateItem, type CallbackRunSettings } from './state';

export const WEBHOOK_EVENTS = ['completed', 'failed'];

const LOCAL_HOST = /^(localhost|127(\.\d+){3}|0\.0\.0\.0|\[::1?\])$/i;

/**
 * The URL Apiframe calls back: n8n's resume URL of this execution, which on n8n 2.x carries the
 * execution's resume token (`?signature=…`) that n8n checks on every /webhook-waiting/ request.
 */
export async function callbackResumeUrl(this: IExecuteFunctions): Promise<string> {
	const url = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	let host: string;
	try {
		host = new URL(url).hostname;
	} catch {
		throw operationError(
			this.getNode(),
			`Wait Method › Sleep Until Apiframe Calls Back needs n8n's resume URL, but n8n gave "${url}"`,
			'Choose Wait Method › Poll Apiframe. Nothing was sent to Apiframe, so nothing was billed.',
		);
	}
	// Apiframe cannot reach a local n8n; failing now bills nothing, whereas every job would time out.
	const apiHost = new URL(await getBaseUrl.call(this)).hostname;
	if (LOCAL_HOST.test(host) && !LOCAL_HOST.test(apiHost)) {
		throw operationError(
			this.getNode(),
			`Apiframe cannot call back ${new URL(url).origin}: n8n's resume URL points at this machine`,
			"Set n8n's WEBHOOK_URL environment variable to n8n's public address and restart n8n, or choose Wait Method › Poll Apiframe. Nothing was sent to Apiframe, so nothing was billed.",
		);
	}
	return url;
}

export function callbackRunSettings(settings: SettleSettings & { concurrency: number }): CallbackRunSettings {
	const download = settings.download;
	return {
		download: download ? { videoProperty: download.videoProperty, lastFrameProperty: download.lastFrameProperty } : false,
		concurrency: settings.concurrency,
		downloadConcurrency: settings.downloadConcurrency,
		timeoutSeconds: settings.wait ? Math.round(settings.wait.timeoutMs / 1000) : 0,
	};
}

/** True when every submitted job is known to be finished (or failed before it had a job). */
export function allSettled(tracked: TrackedJob[]): boolean {
	return tracked.every((entry) => entry.error || !entry.jobId || TERMINAL_STATUSES.has(entry.job?.status ?? ''));
}

/**
 * Reads every submitted job once: jobs that finished during the submit have had their callback
 * answered 409 by n8n (the execution was still running), so only this read can see them. A read
 * that fails leaves the job as submitted: the callbacks still cover it.
 */
export async function readBeforeSleeping(
	this: IExecuteFunctions,
	tracked: TrackedJob[],
	concurrency: number,
	signal?: AbortSignal,
): Promise<void> {
	const submitted = tracked.filter((entry) => entry.jobId && !entry.error);
	await mapWithConcurrency(submitted, concurrency, async (entry) => {
		try {
			entry.job = await fetchJob.call(this, entry.jobId!, entry.itemIndex, signal);
		} catch {
			// Not fatal: the job keeps its submitted status and is checked again on each callback.
		}
	});
}

/**
 * Puts the execution to sleep until Apiframe calls back or the timeout passes. The node's input
 * array is the items of its execution-stack entry, which n8n saves with the waiting execution and
 * later hands to webhook() and, on a timeout, passes on as the node's output; so it is replaced in
 * place by one state item per input item.
 */
export async function sleepUntilCallback(
	this: IExecuteFunctions,
	tracked: TrackedJob[],
	run: CallbackRunSettings,
	timeoutMs: number,
): Promise<INodeExecutionData[]> {
	const input = this.getInputData();
	const ordered = [...tracked].sort((a, b) => a.itemIndex - b.itemIndex);
	input.splice(0, input.length, ...ordered.map((entry) => toStateItem(entry, run)));
	await this.putExecutionToWait(new Date(Date.now() + timeoutMs));
	return input;
}
