import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { mapWithConcurrency } from '../../../base/concurrency';
import { describe, operationError, toNodeError } from '../../../base/errors';
import { automaticKeyPrefix, defaultIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH, newRunId } from '../../../base/idempotency';
import { NodeParameters } from '../../../base/nodeParameters';
import { estimateFields } from '../../../credits/estimate';
import { estimateRun, type Estimates } from '../../../credits/spending';
import { generateOutputFields, runFailure, toOutputItems } from '../../../jobs/output';
import { readSubmittedJobs } from '../../../jobs/read';
import { JobArrivals } from '../../../jobs/arrivals';
import { settle, type SettleSettings } from '../../../jobs/settle';
import {
	submitted,
	summarizeBatch,
	type InvalidJob,
	type JobAfterSubmit,
	type PreparedJob,
	type TrackedJob,
} from '../../../jobs/trackedJob';
import { uploadPendingMedia } from '../../../request/mediaSources';
import { readGenerateParams } from '../../../request/params';
import { buildVideoRequest, type VideoRequest } from '../../../request/videoRequest';
import { JOB_END_EVENTS } from '../../../schemas/jobEvents';
import { submitVideo } from '../../../transport/apiframe';
import { paceRequests } from '../../../transport/pacing';
import { AGENT_WAIT_LIMIT_SECONDS, isAgentToolCall, unfinishedJobNote } from '../agentTool';
import { forEachItem } from '../itemRunner';
import { readSettleSettings } from '../settings';
import { callbackResumeUrl, sleepOrFinish } from './callback/sleepUntilCallback';
import { generateFields, generateRunFields } from './generate.fields';

const properties: INodeProperties[] = [...generateFields, ...generateRunFields];

const displayOptions = { show: { resource: ['video'], operation: ['generate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

type GenerateJob = TrackedJob<VideoRequest>;

/**
 * Checks one item and makes its request, free of charge: nothing is uploaded or submitted yet.
 * With a callback URL, the job is told to report to it.
 */
async function prepareItem(
	this: IExecuteFunctions,
	parameters: NodeParameters,
	itemIndex: number,
	keyPrefix: string,
	callbackUrl: string | undefined,
	signal?: AbortSignal,
): Promise<PreparedJob<VideoRequest>> {
	const input = readGenerateParams(parameters, itemIndex);
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
		input.webhookEvents = [...JOB_END_EVENTS];
	}
	const request = await buildVideoRequest.call(this, itemIndex, input, signal);
	const options = parameters.get<IDataObject>('options', itemIndex, {});
	const customKey = String(options.idempotencyKey ?? '').trim();
	if (customKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
		throw operationError(
			this.getNode(),
			`Options › Idempotency Key is ${customKey.length} characters long: Apiframe takes at most ${MAX_IDEMPOTENCY_KEY_LENGTH}`,
			'Shorten the key, or leave it empty to use one made for this execution and item.',
			{ itemIndex },
		);
	}
	return {
		kind: 'prepared',
		itemIndex,
		idempotencyKey: customKey || defaultIdempotencyKey(keyPrefix, itemIndex, request.body),
		request,
	};
}

/** Uploads the item's media and submits its job; a failure fails the item, a cancel the run. */
async function submitItem(
	this: IExecuteFunctions,
	job: PreparedJob<VideoRequest>,
	signal?: AbortSignal,
): Promise<JobAfterSubmit> {
	const { itemIndex, idempotencyKey, request } = job;
	try {
		const body = await uploadPendingMedia.call(this, request.body, request.uploads, signal);
		const accepted = await submitVideo.call(this, body, idempotencyKey, itemIndex, signal);
		// An idempotent replay may answer with a finished job: that one is read before it is trusted.
		const fresh = accepted.status === 'QUEUED' || accepted.status === 'PROCESSING';
		const lastSeen = fresh ? { id: accepted.jobId, status: accepted.status, model: request.body.model } : null;
		return submitted(itemIndex, accepted.jobId, idempotencyKey, lastSeen);
	} catch (error) {
		if (signal?.aborted) throw toNodeError(this.getNode(), error, itemIndex);
		return { kind: 'failed', itemIndex, jobId: null, idempotencyKey, job: null, error: error as Error };
	}
}

/** What a run has once its items are checked and its spending allowed, before anything is sent. */
interface CheckedRun {
	/** The items to submit, in order; none when the run's spending was refused. */
	prepared: Array<PreparedJob<VideoRequest>>;
	/** The items refused, each with its error. */
	invalid: InvalidJob[];
	estimates: Estimates;
}

/**
 * Checks every item first (nothing is billed if any item is wrong), then the run's spending. Each
 * item's state is kept in `jobs`, so that a cancelled run can still list what it had submitted.
 *
 * A run refused for its spending (over Max Credits, or over the balance) is refused as a whole:
 * nothing is submitted; without "Continue On Fail" the node fails, with it every item that would
 * have been submitted comes out with the refusal as its error.
 */
async function checkJobs(
	this: IExecuteFunctions,
	parameters: NodeParameters,
	jobs: GenerateJob[],
	promptsSent: Map<number, string>,
	callbackUrl: string | undefined,
	signal?: AbortSignal,
): Promise<CheckedRun> {
	const keyPrefix = automaticKeyPrefix(this, newRunId());
	const checked = await forEachItem(
		this,
		async (itemIndex) => await prepareItem.call(this, parameters, itemIndex, keyPrefix, callbackUrl, signal),
	);
	for (const item of checked) {
		if (item.ok) promptsSent.set(item.itemIndex, item.value.request.body.prompt);
		jobs[item.itemIndex] = item.ok ? item.value : ({ kind: 'invalid', itemIndex: item.itemIndex, error: item.error } satisfies InvalidJob);
	}

	const prepared = jobs.filter((job): job is PreparedJob<VideoRequest> => job.kind === 'prepared');
	const { estimates, refusal } = await estimateRun.call(
		this,
		parameters,
		prepared.map(({ itemIndex, request }) => ({ itemIndex, body: request.body, referenceVideoSeconds: request.referenceVideoSeconds })),
		signal,
	);
	if (refusal) {
		if (!this.continueOnFail()) throw operationError(this.getNode(), refusal.message, refusal.description);
		for (const { itemIndex } of prepared) {
			jobs[itemIndex] = {
				kind: 'invalid',
				itemIndex,
				error: operationError(this.getNode(), refusal.message, refusal.description, { itemIndex }),
			};
		}
	}
	const invalid = jobs.filter((job): job is InvalidJob => job.kind === 'invalid');
	return { prepared: refusal ? [] : prepared, invalid, estimates };
}

/**
 * Submits the checked items with bounded concurrency, handing each job to `arrived` as soon as
 * Apiframe has answered for it, and keeping each item's newest state in `jobs`. Without "Continue
 * On Fail", the first failed item stops further submits and fails the run; so does `stop()`
 * answering true (the wait for the jobs already sent has ended the run).
 */
async function submitJobs(
	this: IExecuteFunctions,
	run: CheckedRun,
	jobs: GenerateJob[],
	concurrency: number,
	arrived: (job: JobAfterSubmit) => void,
	stop: () => boolean,
	signal?: AbortSignal,
): Promise<JobAfterSubmit[]> {
	const continueOnFail = this.continueOnFail();
	let failedItem = false;
	await mapWithConcurrency(
		run.prepared,
		concurrency,
		async (job) => {
			const result = await submitItem.call(this, job, signal);
			jobs[job.itemIndex] = result;
			if (result.kind === 'failed' && !continueOnFail) failedItem = true;
			arrived(result);
		},
		() => failedItem || stop(),
	);

	const failure = failedItem ? runFailure(jobs) : undefined;
	if (failure) throw failure;
	return jobs.filter((job): job is JobAfterSubmit => job.kind !== 'prepared');
}

/**
 * Submits the run's jobs while waiting for them: polls start at the first submit and take in each
 * job as Apiframe accepts it, so the first videos download while later items are still being sent.
 * Whatever ends one side ends the other: a failed submit (without "Continue On Fail") stops the
 * wait and its downloads; a wait that fails (a cancel, a redirect off the Base URL) stops further
 * submits. Either way the error thrown is the first side's, and `jobs` names every job sent.
 */
async function submitWhileWaiting(
	this: IExecuteFunctions,
	run: CheckedRun,
	jobs: GenerateJob[],
	settings: SettleSettings,
): Promise<JobAfterSubmit[]> {
	const arrivals = new JobArrivals();
	for (const job of run.invalid) arrivals.add(job);
	const endWait = new AbortController();
	const signal = settings.signal ? AbortSignal.any([settings.signal, endWait.signal]) : endWait.signal;
	let waitEnded = false;
	const waiting = settle.call(this, arrivals, { ...settings, signal });
	// Until the submits are done, a failed wait is only a reason to stop submitting; it is thrown below.
	waiting.catch(() => (waitEnded = true));
	try {
		await submitJobs.call(this, run, jobs, settings.concurrency, (job) => arrivals.add(job), () => waitEnded, settings.signal);
	} catch (error) {
		arrivals.close();
		endWait.abort();
		await waiting.catch(() => undefined);
		throw toNodeError(this.getNode(), error);
	}
	arrivals.close();
	return await waiting;
}

/**
 * Submits one job per item, then waits for all of them together (polling, or sleeping until
 * Apiframe calls back) and downloads the videos.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const jobs: GenerateJob[] = [];
	try {
		return await submitAndWait.call(this, jobs);
	} catch (error) {
		// A cancelled run still reports the jobs it had submitted: they keep running and are billed.
		const summary = summarizeBatch(jobs);
		if (!summary) throw toNodeError(this.getNode(), error);
		if (!this.getExecutionCancelSignal?.()?.aborted) {
			// Whatever ended the run after a submit (a redirect off the Base URL, say), the jobs it
			// had submitted are named: they keep running and are billed.
			const nodeError = toNodeError(this.getNode(), error);
			const listed = nodeError.description?.includes(summary.split('\n')[0]) ?? false;
			if (!listed) nodeError.description = describe([nodeError.description ?? undefined, summary]);
			throw nodeError;
		}
		// In queue mode n8n 2.x saves a stopped execution twice at once: the worker's copy with this
		// error, and the main process's copy from before the stop. When the main's lands last the
		// error is gone, so the worker's log names the jobs too, on one line.
		const oneLine = summary.replace(/:\n/, ': ').replace(/\n/g, '; ');
		this.logger.warn(`Seedance: execution ${this.getExecutionId()} was cancelled with jobs submitted; they still run and are billed. ${oneLine}`);
		throw operationError(this.getNode(), 'The execution was cancelled', summary);
	}
}

async function submitAndWait(this: IExecuteFunctions, jobs: GenerateJob[]): Promise<INodeExecutionData[]> {
	const parameters = new NodeParameters(this);
	const settings = readSettleSettings.call(this, parameters);
	paceRequests(this, settings.concurrency);
	// Without waiting there is nothing to download.
	if (!settings.wait) settings.download = false;
	const sleepForCallback = settings.wait !== false && parameters.get<string>('waitMethod', 0, 'poll') === 'callback';
	const agentTool = isAgentToolCall(this);
	if (sleepForCallback && agentTool) {
		// An agent waits on the tool's answer within its own run: a sleeping execution never answers.
		throw operationError(
			this.getNode(),
			'Wait Method › Sleep Until Apiframe Calls Back cannot be used when an AI Agent calls this tool',
			`An agent needs the answer within its own run. Set Wait Method to Poll Apiframe (the tool then waits up to ${AGENT_WAIT_LIMIT_SECONDS / 60} minutes and otherwise answers with the job ID to fetch later through Job → Get), or turn off Wait for Completion. Nothing was sent to Apiframe, so nothing was billed.`,
		);
	}
	const callbackUrl = sleepForCallback ? await callbackResumeUrl.call(this) : undefined;

	const promptsSent = new Map<number, string>();
	const run = await checkJobs.call(this, parameters, jobs, promptsSent, callbackUrl, settings.signal);
	const outputFields = generateOutputFields(promptsSent);
	const withEstimate = (job: JobAfterSubmit) => {
		const estimate = run.estimates.get(job.itemIndex);
		return { ...outputFields(job), ...(estimate ? estimateFields(estimate) : {}) };
	};
	const extraJson = agentTool ? (job: JobAfterSubmit) => ({ ...withEstimate(job), ...unfinishedJobNote(job) }) : withEstimate;
	const submitAll = async () =>
		await submitJobs.call(this, run, jobs, settings.concurrency, () => undefined, () => false, settings.signal);

	if (sleepForCallback) return await sleepOrFinish.call(this, await submitAll(), settings, withEstimate);
	if (settings.wait) {
		const settled = await submitWhileWaiting.call(this, run, jobs, settings);
		return toOutputItems(settled, { failRun: !this.continueOnFail(), extraJson });
	}
	// Apiframe sets a job's charge at submit: without waiting, one read gives each item its creditCost.
	const read = await readSubmittedJobs.call(this, await submitAll(), settings.concurrency, settings.signal);
	const settled = await settle.call(this, read, settings);
	return toOutputItems(settled, { failRun: !this.continueOnFail(), extraJson });
}
