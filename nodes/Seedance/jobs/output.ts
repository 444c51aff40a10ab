import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { describe, errorOutput } from '../base/errors';
import { extractResultUrls } from '../transport/jobResult';
import type { ApiframeJob } from '../transport/responses';
import {
	idempotencyKeyOf,
	inOrder,
	isFailure,
	jobIdOf,
	lastKnownJob,
	summarizeBatch,
	type JobAfterSubmit,
	type TrackedJob,
} from './trackedJob';

/**
 * A callback URL without the resume token n8n puts in its query (`signature=`): whoever holds the
 * token can wake the sleeping execution, so it never reaches an output item.
 */
export function withoutResumeToken(url: string): string {
	return url.replace(/([?&])signature=[^&#]*&?/gi, '$1').replace(/[?&](?=#|$)/, '');
}

/** The job's request as Apiframe keeps it, minus what is secret. */
function redactedInput(input: ApiframeJob['input']): ApiframeJob['input'] {
	if (!input || typeof input.webhookUrl !== 'string') return input;
	return { ...input, webhookUrl: withoutResumeToken(input.webhookUrl) };
}

/** The flat, documented output of every operation that returns a job. */
export function jobToOutput(job: ApiframeJob): IDataObject {
	const { videoUrl, lastFrameUrl } = extractResultUrls(job.result);
	return {
		jobId: job.id,
		status: job.status,
		model: job.model ?? null,
		progress: job.progress ?? null,
		videoUrl: videoUrl ?? null,
		...(lastFrameUrl ? { lastFrameUrl } : {}),
		creditCost: job.creditCost ?? null,
		error: job.error ?? null,
		expired: job.expired ?? false,
		createdAt: job.createdAt ?? null,
		completedAt: job.completedAt ?? null,
		job: { ...job, ...(job.input ? { input: redactedInput(job.input) } : {}) },
	};
}

/**
 * One item's output: its job as last known (plus `extraJson`), a failed item's error fields
 * (with the job ID whenever a job exists), and a completed job's files.
 */
export function toOutputItem(job: JobAfterSubmit, extraJson: IDataObject = {}): INodeExecutionData {
	const known = lastKnownJob(job);
	const json: IDataObject = known ? { ...jobToOutput(known), ...extraJson } : { ...extraJson };
	if (isFailure(job)) {
		const failure = errorOutput(job.error);
		Object.assign(json, failure, { jobId: failure.jobId ?? jobIdOf(job) });
	}
	const item: INodeExecutionData = { json, pairedItem: { item: job.itemIndex } };
	if (job.kind === 'settled' && job.binary) item.binary = job.binary;
	return item;
}

/**
 * The error that fails a run: the first failed item's, its description listing every job of the
 * run so that none is lost. Undefined when no item failed.
 */
export function runFailure(jobs: Array<TrackedJob<unknown>>): Error | undefined {
	const ordered = inOrder(jobs);
	const first = ordered.find(isFailure);
	if (!first) return undefined;
	const error = first.error as Error & { description?: string | null };
	error.description = describe([error.description ?? undefined, summarizeBatch(ordered)]);
	return error;
}

/**
 * One output item per input item, in input order. With `failRun` (no "Continue On Fail") the
 * first failed item fails the node instead (see runFailure).
 */
export function toOutputItems(
	jobs: JobAfterSubmit[],
	options: { failRun: boolean; extraJson?: (job: JobAfterSubmit) => IDataObject },
): INodeExecutionData[] {
	const failure = options.failRun ? runFailure(jobs) : undefined;
	if (failure) throw failure;
	return inOrder(jobs).map((job) => toOutputItem(job, options.extraJson?.(job)));
}

/** Each item's prompt as sent, by item index; an item refused before sending has none. */
export type PromptsSent = ReadonlyMap<number, string>;

/**
 * What Generate's output adds to each item's job: the Idempotency-Key it was submitted with, and
 * `promptSent`, the prompt as sent (null for an item refused before anything was sent).
 */
export function generateOutputFields(promptsSent: PromptsSent): (job: JobAfterSubmit) => IDataObject {
	return (job) => ({ idempotencyKey: idempotencyKeyOf(job), promptSent: promptsSent.get(job.itemIndex) ?? null });
}
