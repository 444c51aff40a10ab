import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { operationError } from '../../../../base/errors';
import { generateOutputFields, readSavedGenerateOutput, toOutputItem } from '../../../../jobs/output';
import { settle, settleSettings } from '../../../../jobs/settle';
import { failed, isSubmitted, replacePicked, type JobAfterSubmit } from '../../../../jobs/trackedJob';
import { readJobs } from '../../../../jobs/read';
import { JOB_END_EVENTS } from '../../../../schemas/jobEvents';
import { paceRequests } from '../../../../transport/pacing';
import { answer, receiveDelivery } from '../../../../webhooks/receive';
import { readSavedRun, restoreJob, type CallbackItem } from './state';

/** The run's jobs as saved, back in their pipeline states; items that failed before a job existed have none. */
function restoredJobs(items: CallbackItem[]): JobAfterSubmit[] {
	return items.flatMap((item): JobAfterSubmit[] => {
		const job = restoreJob(item);
		return job ? [job] : [];
	});
}

/**
 * Reads every job of the run not known finished before sleeping, once, through the job list (a
 * page for up to 100 jobs, see jobs/read.ts), so an early callback of a large run costs a request
 * or a few, not one per job. Throws when a job could not be read.
 */
async function readRun(this: IWebhookFunctions, items: CallbackItem[]): Promise<JobAfterSubmit[]> {
	const restored = restoredJobs(items);
	const run = items[0].run;
	paceRequests(this, run.concurrency);
	const read = await replacePicked(restored, isSubmitted, async (submitted) =>
		await readJobs.call(this, submitted, { concurrency: run.concurrency, run: restored }),
	);
	// Restored jobs are submitted or settled: a failed one is a job that could not be read.
	const unreadable = read.find((job) => job.kind === 'failed');
	if (unreadable?.kind === 'failed') throw unreadable.error;
	return read;
}

/** Downloads the videos of the run's jobs as read and builds one output item per input item. */
async function finishRun(this: IWebhookFunctions, items: CallbackItem[], read: JobAfterSubmit[]): Promise<INodeExecutionData[]> {
	const run = items[0].run;
	// The prompt as sent travels in each saved output, like the job's last read.
	const savedOutputs = new Map(items.map((item) => [item.saved.itemIndex, readSavedGenerateOutput(item.json)]));
	const outputFields = generateOutputFields(
		new Map([...savedOutputs].flatMap(([itemIndex, { promptSent }]) => (promptSent === undefined ? [] : [[itemIndex, promptSent]]))),
	);
	const settings = settleSettings({
		wait: false,
		download: run.download,
		concurrency: run.concurrency,
		downloadConcurrency: Math.max(1, run.downloadConcurrency),
		failedJobIsError: true,
	});
	const settled = await settle.call(this, read, settings);
	const outputOf = new Map(
		settled.map((job) => {
			// Only when the event's own job does not read as finished yet; the job ID keeps it from being lost.
			const final = isSubmitted(job)
				? failed(
						job,
						operationError(
							this.getNode(),
							`Seedance job ${job.jobId} was still ${job.lastSeen?.status} when Apiframe's callbacks said the run was done`,
							'The job keeps running; pick it up with Job → Get.',
							{ itemIndex: job.itemIndex, jobId: job.jobId },
						),
					)
				: job;
			const extraJson = { ...outputFields(final), ...savedOutputs.get(job.itemIndex)?.estimate };
			return [job.itemIndex, toOutputItem(final, extraJson)];
		}),
	);
	// An item that failed before a job existed keeps its saved output.
	return items.map(
		(item) => outputOf.get(item.saved.itemIndex) ?? { json: item.json, pairedItem: { item: item.saved.itemIndex } },
	);
}

/** Resumes a run whose saved state this version cannot read, with an error naming each job. */
function unreadableRun(items: IDataObject[], version: unknown, jobIds: string[]): INodeExecutionData[] {
	return items.map((json, itemIndex) => ({
		json: {
			...json,
			error: `The Seedance node cannot read the state this waiting run saved (version ${String(version)}), so it cannot finish the run`,
			errorDescription: `Its jobs keep running on Apiframe: pick them up with Job → Get. Job IDs: ${jobIds.join(', ')}`,
		},
		pairedItem: { item: itemIndex },
	}));
}

/**
 * Apiframe's callback to a run sleeping in Wait Method › Sleep Until Apiframe Calls Back. A signed
 * `completed` or `failed` event resumes the execution only once every job of the run has finished,
 * so any callback can end the run, including one that comes after another job's callback was lost.
 */
export async function handleCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const received = await receiveDelivery.call(this, true);
	if ('rejected' in received) return received.rejected;
	if (received.delivery.kind === 'other') {
		// Signed, so Apiframe's: a 4xx would make it drop or repeat the delivery; the run waits on.
		this.logger.warn(`Seedance: a signed callback was acknowledged and ignored: ${received.delivery.reason}`);
		return answer(res, 200, { received: true, ignored: `not a job event: ${received.delivery.reason}` });
	}
	const { event } = received.delivery;
	if (!JOB_END_EVENTS.includes(event.event)) {
		return answer(res, 200, { received: true, ignored: `event "${event.event}" does not end a job` });
	}

	// The stack-entry items execute() left behind (WebhookContext's input on a resume).
	const saved = readSavedRun(this.evaluateExpression('{{ $input.all() }}', 0));
	const notOurs = () => answer(res, 200, { received: true, ignored: `job ${event.jobId} is not part of this run` });
	if (saved.kind === 'none') return notOurs();
	if (saved.kind === 'unreadable') {
		if (!saved.jobIds.includes(event.jobId)) return notOurs();
		res.status(200).json({ received: true, resumed: true });
		return { noWebhookResponse: true, workflowData: [unreadableRun(saved.items, saved.version, saved.jobIds)] };
	}
	const { items } = saved;
	if (!items.some(({ saved: job }) => 'jobId' in job && job.jobId === event.jobId)) return notOurs();

	let read: JobAfterSubmit[];
	try {
		read = await readRun.call(this, items);
	} catch (error) {
		// A 5xx makes a retrying sender try again; the execution stays waiting either way.
		return answer(res, 503, { error: `Could not check the run's other jobs: ${(error as Error).message}` });
	}
	// The signed event speaks for its own job, even if a read does not show it finished yet.
	if (read.some((job) => isSubmitted(job) && job.jobId !== event.jobId)) {
		return answer(res, 200, { received: true, resumed: false });
	}

	// Acknowledge before the slow part (re-reading jobs, downloading videos) so Apiframe does not
	// time out and deliver again.
	res.status(200).json({ received: true, resumed: true });
	return { noWebhookResponse: true, workflowData: [await finishRun.call(this, items, read)] };
}
