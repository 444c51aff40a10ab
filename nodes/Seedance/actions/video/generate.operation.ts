import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { apiRequest } from '../../transport';
import { operationError, toNodeError } from '../../helpers/errors';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { readJobs } from '../../helpers/polling';
import { defaultIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH, newRunId } from '../../helpers/idempotency';
import type { JobAccepted } from '../../helpers/interfaces';
import { readSettleSettings } from '../../helpers/settings';
import { settleJobs, toOutputItems } from '../../helpers/settleJobs';
import { summarizeBatch, type TrackedJob } from '../../helpers/trackedJob';
import { readGenerateInput } from './generateInput';
import { prepareMedia, uploadPendingMedia, type PendingUploads } from './mediaSources';
import { buildGenerateRequest, formatIssues } from '../../schemas/buildRequest';
import type { SeedanceRequestBody } from '../../schemas/seedanceRequest';
import {
	binaryPropertyOption,
	concurrencyOption,
	downloadVideoField,
	lastFrameBinaryPropertyOption,
	pollIntervalOption,
	timeoutOption,
	waitForCompletionField,
} from '../common.descriptions';
import { generateFields } from './generate.fields';
import {
	allSettled,
	callbackResumeUrl,
	callbackRunSettings,
	readBeforeSleeping,
	sleepUntilCallback,
	WEBHOOK_EVENTS,
} from './callback/sleepUntilCallback';

const properties: INodeProperties[] = [
	...generateFields,
	waitForCompletionField,
	{
		displayName: 'Wait Method',
		name: 'waitMethod',
		type: 'options',
		options: [
			{
				name: 'Poll Apiframe',
				value: 'poll',
				description: 'Keep the execution running and ask Apiframe about all jobs every poll interval',
			},
			{
				name: 'Sleep Until Apiframe Calls Back',
				value: 'callback',
				description:
					"Put the execution to sleep, holding no worker, until Apiframe calls n8n back when the last job is done. Apiframe must be able to reach n8n (set WEBHOOK_URL).",
			},
		],
		default: 'poll',
		description: 'How the node learns that the jobs are done',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{ ...downloadVideoField, displayOptions: { show: { waitForCompletion: [true] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...binaryPropertyOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			concurrencyOption,
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Sent as the Idempotency-Key header: Apiframe answers a repeated key (within 24 hours) with the original job instead of billing a new one. Empty: a key unique to this execution and item, so retries never bill twice. Set it, for example to an expression giving the ID of the spreadsheet row, to make re-runs of the same row safe too.',
			},
			{ ...lastFrameBinaryPropertyOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{
				displayName: 'Notify Events',
				name: 'notifyEvents',
				type: 'multiOptions',
				options: [
					{ name: 'Completed', value: 'completed' },
					{ name: 'Failed', value: 'failed' },
					{ name: 'Progress', value: 'progress' },
				],
				default: ['completed', 'failed'],
				description: 'Which job events Apiframe sends to the Notify Webhook URL',
			},
			{
				displayName: 'Notify Webhook URL',
				name: 'notifyWebhookUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/seedance',
				description:
					"Apiframe POSTs signed job events to this URL. Paste the production URL of a Seedance Trigger node to start a workflow when each clip is done. Apiframe must be able to reach it, so localhost URLs do not work.",
			},
			{ ...pollIntervalOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{ ...timeoutOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
		],
	},
];

const displayOptions = { show: { resource: ['video'], operation: ['generate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

type Settings = ReturnType<typeof readSettleSettings>;

interface Submission {
	/** Set when an item failed without "Continue On Fail": the run ends with its error. */
	stop: boolean;
}

/**
 * Validates every item first (nothing is billed if any item is wrong), then submits the jobs with
 * bounded concurrency. With a callback URL, every job is told to report to it.
 */
async function submitJobs(
	this: IExecuteFunctions,
	tracked: TrackedJob[],
	itemCount: number,
	settings: Settings,
	callbackUrl: string | undefined,
): Promise<Submission> {
	const runId = newRunId();
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();

	const bodies = new Map<number, SeedanceRequestBody>();
	const pendingUploads = new Map<number, PendingUploads>();
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const entry: TrackedJob = { itemIndex };
		tracked.push(entry);
		try {
			const input = readGenerateInput.call(this, itemIndex);
			if (callbackUrl) {
				if (input.webhookUrl?.trim()) {
					throw operationError(
						this.getNode(),
						'Options › Notify Webhook URL cannot be used with Wait Method › Sleep Until Apiframe Calls Back',
						"Apiframe calls back one URL per job, and this wait method needs it to wake the execution. Remove Options › Notify Webhook URL, or choose Wait Method › Poll Apiframe. Nothing was sent to Apiframe, so nothing was billed.",
						{ itemIndex },
					);
				}
				input.webhookUrl = callbackUrl;
				input.webhookEvents = WEBHOOK_EVENTS;
			}
			const prepared = await prepareMedia.call(this, itemIndex, input, signal);
			const built = buildGenerateRequest(prepared.input);
			if (!built.ok) {
				throw operationError(
					this.getNode(),
					`${built.issues[0].field} ${built.issues[0].message}`,
					`${formatIssues(built.issues)}\nNothing was sent to Apiframe, so nothing was billed.`,
					{ itemIndex },
				);
			}
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const customKey = String(options.idempotencyKey ?? '').trim();
			if (customKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
				throw operationError(
					this.getNode(),
					`Options › Idempotency Key is ${customKey.length} characters long: Apiframe takes at most ${MAX_IDEMPOTENCY_KEY_LENGTH}`,
					'Shorten the key, or leave it empty to use one made for this execution and item.',
					{ itemIndex },
				);
			}
			entry.idempotencyKey = customKey || defaultIdempotencyKey(this, itemIndex, built.body, runId);
			bodies.set(itemIndex, built.body);
			pendingUploads.set(itemIndex, prepared.uploads);
		} catch (error) {
			if (!continueOnFail) throw toNodeError(this.getNode(), error, itemIndex);
			entry.error = error as Error;
		}
	}

	let stop = false;
	await mapWithConcurrency(
		tracked.filter((entry) => !entry.error),
		settings.concurrency,
		async (entry) => {
			try {
				const body = await uploadPendingMedia.call(
					this,
					bodies.get(entry.itemIndex)!,
					pendingUploads.get(entry.itemIndex)!,
					signal,
				);
				const accepted = (await apiRequest.call(this, {
					method: 'POST',
					path: '/v2/videos/generate',
					body: body as unknown as IDataObject,
					idempotencyKey: entry.idempotencyKey,
					signal,
					errorContext: { itemIndex: entry.itemIndex },
				})) as unknown as JobAccepted;
				entry.jobId = accepted.jobId;
				// An idempotent replay may answer with a finished job; only a fresh one can wait a poll interval.
				if (accepted.status === 'QUEUED' || accepted.status === 'PROCESSING') {
					entry.job = { id: accepted.jobId, status: accepted.status, model: bodies.get(entry.itemIndex)!.model };
				}
			} catch (error) {
				if (signal?.aborted) throw toNodeError(this.getNode(), error, entry.itemIndex);
				entry.error = error as Error;
				if (!continueOnFail) stop = true;
			}
		},
		() => stop,
	);
	return { stop };
}

/**
 * Submits one job per item, then waits for all of them together (polling, or sleeping until
 * Apiframe calls back) and downloads the videos.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const tracked: TrackedJob[] = [];
	try {
		return await submitAndWait.call(this, tracked);
	} catch (error) {
		// A cancelled run still reports the jobs it had submitted: they keep running and are billed.
		const summary = summarizeBatch(tracked);
		if (!this.getExecutionCancelSignal?.()?.aborted || !summary) throw toNodeError(this.getNode(), error);
		throw operationError(this.getNode(), 'The execution was cancelled', summary);
	}
}

async function submitAndWait(this: IExecuteFunctions, tracked: TrackedJob[]): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const settings = readSettleSettings.call(this);
	if (!settings.wait) settings.download = false;
	const sleepForCallback = settings.wait !== false && this.getNodeParameter('waitMethod', 0, 'poll') === 'callback';
	const callbackUrl = sleepForCallback ? await callbackResumeUrl.call(this) : undefined;

	const { stop } = await submitJobs.call(this, tracked, items.length, settings, callbackUrl);
	const idempotencyKeyOf = (entry: TrackedJob) => ({ idempotencyKey: entry.idempotencyKey ?? null });
	if (stop) return toOutputItems.call(this, tracked, idempotencyKeyOf);

	const signal = this.getExecutionCancelSignal?.();
	if (settings.wait && sleepForCallback) {
		await readBeforeSleeping.call(this, tracked, settings.wait.concurrency, signal);
		if (!allSettled(tracked)) {
			return await sleepUntilCallback.call(this, tracked, callbackRunSettings(settings), settings.wait.timeoutMs);
		}
		// Everything finished during the submit: no callback is left to wake the execution.
		await settleJobs.call(this, tracked, { ...settings, wait: false });
		return toOutputItems.call(this, tracked, idempotencyKeyOf);
	}

	if (!settings.wait) {
		const replayed = tracked.filter((entry) => entry.jobId && !entry.job && !entry.error);
		await readJobs.call(this, replayed, settings.concurrency, signal);
	}
	await settleJobs.call(this, tracked, settings);
	return toOutputItems.call(this, tracked, idempotencyKeyOf);
}
