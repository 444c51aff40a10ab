import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { describe, errorOutput } from '../base/errors';
import { carriedEstimateFields, type EstimateFields } from '../credits/estimate';
import { extractResultUrls } from '../media/resultUrls';
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

/** A job as Apiframe last reported it, flattened: the part every job item has. */
export type JobFields = {
	jobId: string;
	status: string;
	model: string | null;
	progress: number | null;
	videoUrl: string | null;
	/** Only when the job returned a last frame. */
	lastFrameUrl?: string;
	creditCost: number | null;
	error: string | null;
	expired: boolean;
	createdAt: string | null;
	completedAt: string | null;
	/** Apiframe's answer as it came. */
	job: IDataObject;
};

/** A failed item's error, with the job ID whenever a job exists (base/errors.ts). */
export type FailureFields = ReturnType<typeof errorOutput>;

/** What Generate adds to each of its items (see generateOutputFields). */
export type GenerateFields = { idempotencyKey: string | null; promptSent: string | null };

/** What the trigger adds: the event, the body as delivered, and what went wrong after it was accepted. */
export type TriggerFields = {
	event: string;
	webhook: IDataObject;
	refetchError?: string;
	/** Why nothing was downloaded: an unverified body's URLs are never fetched (webhooks/). */
	downloadSkipped?: string;
	downloadError?: string;
};

/** What an AI Agent's call adds to a job it left unfinished (v1/actions/agentTool.ts). */
export type AgentNote = { note?: string };

/**
 * Every job item the node emits. Which parts an item has depends on where it comes from:
 * - Job → List: JobFields;
 * - Job → Get: JobFields and EstimateFields (and an AgentNote when an agent called);
 * - Generate, and its callback wake-up: JobFields, GenerateFields and EstimateFields (and an AgentNote);
 * - the Seedance Trigger: JobFields, EstimateFields and TriggerFields.
 * A failed item carries FailureFields: over its JobFields when its job was read, else alone
 * (with the job ID whenever a job exists).
 */
export type JobOutput = (JobFields | (JobFields & FailureFields) | FailureFields) &
	Partial<GenerateFields> &
	(EstimateFields | Record<never, never>) &
	Partial<TriggerFields> &
	AgentNote;

/** The parts of an item that toOutputItem() adds to the job's own fields. */
export type JobExtras = Partial<GenerateFields> & (EstimateFields | Record<never, never>) & AgentNote;

/**
 * What the callback wake-up reads back from the items a sleeping Generate run saved (their JSON is
 * the outputs it would have given on a timeout): the prompt as sent and the estimate, checked
 * before they are trusted, since n8n hands back whatever the execution stored.
 */
export const savedGenerateOutputSchema = z.object({
	/** null for an item refused before anything was sent. */
	promptSent: z.string().nullable(),
});

/**
 * The saved prompt and estimate of one item (the estimate checked by credits/estimate.ts's
 * schema); nothing for a part that is missing or not as written.
 */
export function readSavedGenerateOutput(json: IDataObject): { promptSent?: string; estimate: EstimateFields | Record<never, never> } {
	const saved = savedGenerateOutputSchema.safeParse(json);
	const promptSent = saved.success ? saved.data.promptSent : null;
	return { ...(promptSent === null ? {} : { promptSent }), estimate: carriedEstimateFields(json) };
}

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
export function jobToOutput(job: ApiframeJob): JobFields {
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
		job: { ...job, ...(job.input ? { input: redactedInput(job.input) } : {}) } as IDataObject,
	};
}

/**
 * One item's output: its job as last known (plus `extraJson`), a failed item's error fields
 * (with the job ID whenever a job exists), and a completed job's files.
 */
export function toOutputItem(job: JobAfterSubmit, extraJson: JobExtras = {}): INodeExecutionData {
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
	options: { failRun: boolean; extraJson?: (job: JobAfterSubmit) => JobExtras },
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
export function generateOutputFields(promptsSent: PromptsSent): (job: JobAfterSubmit) => GenerateFields {
	return (job) => ({ idempotencyKey: idempotencyKeyOf(job), promptSent: promptsSent.get(job.itemIndex) ?? null });
}
