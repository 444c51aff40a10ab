import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { estimateFields, estimateJobInput } from '../credits/estimate';
import { readPriceList } from '../credits/priceList';
import { settle } from '../jobs/settle';
import { lastKnownJob, observe, submitted } from '../jobs/trackedJob';
import { jobToOutput } from '../jobs/output';
import { readBinaryProperties } from '../media/binaryProperties';
import { JOB_END_EVENTS } from '../schemas/jobEvents';
import type { CreditEstimate } from '../schemas/pricing';
import { fetchJob } from '../transport/apiframe';
import { deliveryKey, eventToJob } from '../webhooks/event';
import { answer, receiveJobEvent } from '../webhooks/receive';
import { rememberDelivery } from './deliveryLog';

/**
 * Checks one delivery from Apiframe and, when it is a new, signed job event of a chosen kind,
 * acknowledges it at once and hands the job to the workflow (with its video, when asked).
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const received = await receiveJobEvent.call(this, this.getNodeParameter('verifySignature', true) as boolean);
	if ('rejected' in received) return received.rejected;
	const { event } = received;

	const events = this.getNodeParameter('events', [...JOB_END_EVENTS]) as string[];
	if (!events.includes(event.event)) {
		return answer(res, 200, { received: true, ignored: `event "${event.event}" is not selected` });
	}

	if (!rememberDelivery(this.getWorkflowStaticData('node'), deliveryKey(event))) {
		return answer(res, 200, { received: true, duplicate: true });
	}

	// Acknowledge before the slow part (re-reading the job, downloading the video), so Apiframe
	// does not time out and deliver the same event again.
	res.status(200).json({ received: true });

	const json: IDataObject = { event: event.event };
	let job = eventToJob(event);
	// Only Apiframe's record of the job holds its request, which the estimate is made from.
	let estimate: CreditEstimate = { kind: 'unknown', reason: "The event does not carry the job's request: turn on Re-Read Job for its estimate" };
	if (this.getNodeParameter('refetchJob', false) as boolean) {
		try {
			job = await fetchJob.call(this, event.jobId, 0);
			estimate = estimateJobInput(await readPriceList.call(this), job.input);
		} catch (error) {
			json.refetchError = (error as Error).message;
			estimate = { kind: 'unknown', reason: "Apiframe's record of the job could not be read (see refetchError)" };
		}
	}

	// A job event is handed on whatever the job's fate: a failed job is data here, not an error,
	// and a failed download is reported beside the job.
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const [settled] = await settle.call(this, [observe(submitted(0, job.id, null, job), job)], {
		wait: false,
		download: this.getNodeParameter('downloadVideo', true) ? readBinaryProperties(options) : false,
		concurrency: 1,
		downloadConcurrency: 1,
		failedJobIsError: false,
	});
	Object.assign(json, jobToOutput(lastKnownJob(settled) ?? job), estimateFields(estimate), { event: event.event, webhook: event as IDataObject });
	if (settled.kind === 'failed') json.downloadError = settled.error.message;

	const item: INodeExecutionData = { json };
	if (settled.kind === 'settled' && settled.binary) item.binary = settled.binary;
	return { noWebhookResponse: true, workflowData: [[item]] };
}
