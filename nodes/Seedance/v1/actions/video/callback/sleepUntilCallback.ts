import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { operationError } from '../../../../base/errors';
import { toOutputItems, type JobExtras } from '../../../../jobs/output';
import { settle, type SettleSettings } from '../../../../jobs/settle';
import { inOrder, isSubmitted, type JobAfterSubmit } from '../../../../jobs/trackedJob';
import { readSubmittedJobs } from '../../../../jobs/read';
import { getBaseUrl } from '../../../../transport/index';
import { toStateItem, type CallbackRunSettings } from './state';

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

function callbackRunSettings(settings: SettleSettings): CallbackRunSettings {
	return {
		download: settings.download ? { ...settings.download } : false,
		concurrency: settings.concurrency,
		downloadConcurrency: settings.downloadConcurrency,
		timeoutSeconds: settings.wait ? Math.round(settings.wait.timeoutMs / 1000) : 0,
	};
}

/**
 * Puts the execution to sleep until Apiframe calls back or the timeout passes; when every job has
 * already finished, no callback is left to wake it, so the run finishes at once instead.
 *
 * The node's input array is the items of its execution-stack entry, which n8n saves with the
 * waiting execution and later hands to webhook() and, on a timeout, passes on as the node's
 * output; so it is replaced in place by one state item per input item.
 */
export async function sleepOrFinish(
	this: IExecuteFunctions,
	sent: JobAfterSubmit[],
	settings: SettleSettings,
	extraJson: (job: JobAfterSubmit) => JobExtras,
): Promise<INodeExecutionData[]> {
	// Jobs that finished during the submit have had their callback answered 409 by n8n (the
	// execution was still running), so only this read can see them; the callbacks cover the rest.
	const jobs = await readSubmittedJobs.call(this, sent, settings.concurrency, settings.signal);
	if (!jobs.some(isSubmitted)) {
		const settled = await settle.call(this, jobs, { ...settings, wait: false });
		return toOutputItems(settled, { failRun: !this.continueOnFail(), extraJson });
	}
	const run = callbackRunSettings(settings);
	const input = this.getInputData();
	input.splice(0, input.length, ...inOrder(jobs).map((job) => toStateItem(job, run, extraJson(job))));
	const timeoutMs = settings.wait ? settings.wait.timeoutMs : 0;
	await this.putExecutionToWait(new Date(Date.now() + timeoutMs));
	return input;
}
