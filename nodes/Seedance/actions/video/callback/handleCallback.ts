import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { downloadJobFiles } from '../../../helpers/binaryData';
import { mapWithConcurrency } from '../../../helpers/concurrency';
import { errorOutput, jobFailedError, operationError } from '../../../helpers/errors';
import { TERMINAL_STATUSES, type ApiframeJob } from '../../../helpers/interfaces';
import { jobToOutput } from '../../../helpers/jobOutput';
import { fetchJob } from '../../../helpers/polling';
import { answer, receiveJobEvent } from '../../../helpers/jobEventRequest';
import type { WebhookEvent } from '../../../trigger/webhookEvent';
import { readStateItems, savedJob, STATE_KEY, type CallbackItem } from './state';

function isTerminal(job: ApiframeJob | undefined): boolean {
	return TERMINAL_STATUSES.has(job?.status ?? '');
}

/**
 * Whether every job of the run has finished. Jobs known terminal before sleeping and the job the
 * signed event is about are not read again; the others are read a batch at a time, stopping at the
 * first unfinished one, so an early callback of a large run costs a request or a few, not one per job.
 */
async function allJobsFinished(this: IWebhookFunctions, items: CallbackItem[], event: WebhookEvent): Promise<boolean> {
	const unknown = items.filter(
		(item) => item.state.jobId && item.state.jobId !== event.jobId && !TERMINAL_STATUSES.has(item.state.status ?? ''),
	);
	const batchSize = Math.max(1, items[0]?.state.run.concurrency ?? 5);
	for (let start = 0; start < unknown.length; start += batchSize) {
		const batch = unknown.slice(start, start + batchSize);
		const jobs = await Promise.all(
			batch.map(async (item) => await fetchJob.call(this, item.state.jobId!, item.state.itemIndex)),
		);
		if (!jobs.every(isTerminal)) return false;
	}
	return true;
}

/** Re-reads every unfinished job, downloads the videos and builds one output item per input item. */
async function finishRun(this: IWebhookFunctions, items: CallbackItem[]): Promise<INodeExecutionData[]> {
	const run = items[0].state.run;
	const results = items.map((item) => {
		const json = { ...item.json };
		delete json[STATE_KEY];
		return { item, json, job: undefined as ApiframeJob | undefined, error: undefined as Error | undefined };
	});
	const withJob = results.filter((result) => result.item.state.jobId);

	await mapWithConcurrency(withJob, Math.max(1, run.concurrency), async (result) => {
		const { jobId, itemIndex, status } = result.item.state;
		const saved = TERMINAL_STATUSES.has(status ?? '') ? savedJob(result.item) : undefined;
		try {
			result.job = saved ?? (await fetchJob.call(this, jobId!, itemIndex));
		} catch (error) {
			result.error = error as Error;
		}
	});

	for (const result of withJob) {
		const job = result.job;
		if (result.error || !job) continue;
		if (job.status === 'FAILED' || job.status === 'CANCELLED') {
			result.error = jobFailedError(this.getNode(), job, result.item.state.itemIndex);
		} else if (!isTerminal(job)) {
			// Only possible when Apiframe's answers disagree; the job ID keeps it from being lost.
			result.error = operationError(
				this.getNode(),
				`Seedance job ${job.id} was still ${job.status} when Apiframe's callbacks said the run was done`,
				'The job keeps running; pick it up with Job → Get.',
				{ itemIndex: result.item.state.itemIndex, jobId: job.id },
			);
		}
	}

	const binaries = new Map<number, INodeExecutionData['binary']>();
	const download = run.download;
	if (download) {
		const completed = withJob.filter((result) => !result.error && result.job?.status === 'COMPLETED');
		await mapWithConcurrency(completed, Math.max(1, run.downloadConcurrency), async (result) => {
			try {
				binaries.set(
					result.item.state.itemIndex,
					await downloadJobFiles.call(this, result.job!, result.item.state.itemIndex, download),
				);
			} catch (error) {
				result.error = error as Error;
			}
		});
	}

	return results.map((result) => {
		const { itemIndex, jobId, idempotencyKey } = result.item.state;
		let json = result.json;
		if (jobId) {
			json = result.job ? { ...jobToOutput(result.job), idempotencyKey } : { ...json, error: null, errorDescription: null };
			if (result.error) {
				const failure = errorOutput(result.error as Error & { context?: IDataObject });
				Object.assign(json, failure, { jobId: failure.jobId ?? jobId });
			}
		}
		const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		const binary = binaries.get(itemIndex);
		if (binary && !result.error) item.binary = binary;
		return item;
	});
}

/**
 * Apiframe's callback to a run sleeping in Wait Method › Sleep Until Apiframe Calls Back. A signed
 * `completed` or `failed` event resumes the execution only once every job of the run has finished,
 * so any callback can end the run, including one that comes after another job's callback was lost.
 */
export async function handleCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const received = await receiveJobEvent.call(this, true);
	if ('rejected' in received) return received.rejected;
	const { event } = received;
	if (event.event !== 'completed' && event.event !== 'failed') {
		return answer(res, 200, { received: true, ignored: `event "${event.event}" does not end a job` });
	}

	// The stack-entry items execute() left behind (WebhookContext's input on a resume).
	const items = readStateItems(this.evaluateExpression('{{ $input.all() }}', 0));
	if (!items.some((item) => item.state.jobId === event.jobId)) {
		return answer(res, 200, { received: true, ignored: `job ${event.jobId} is not part of this run` });
	}

	let finished: boolean;
	try {
		finished = await allJobsFinished.call(this, items, event);
	} catch (error) {
		// A 5xx makes a retrying sender try again; the execution stays waiting either way.
		return answer(res, 503, { error: `Could not check the run's other jobs: ${(error as Error).message}` });
	}
	if (!finished) return answer(res, 200, { received: true, resumed: false });

	// Acknowledge before the slow part (re-reading jobs, downloading videos) so Apiframe does not
	// time out and deliver again.
	res.status(200).json({ received: true, resumed: true });
	return { noWebhookResponse: true, workflowData: [await finishRun.call(this, items)] };
}
