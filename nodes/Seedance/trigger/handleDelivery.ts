import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { estimateFields, estimateJobInput } from '../credits/estimate';
import { readPriceList } from '../credits/priceList';
import { settle, settleSettings } from '../jobs/settle';
import { lastKnownJob, observe, submitted } from '../jobs/trackedJob';
import { jobToOutput, type JobOutput } from '../jobs/output';
import { readDownloadPlan } from '../media/downloadLimits';
import { JOB_END_EVENTS } from '../schemas/jobEvents';
import type { CreditEstimate } from '../credits/pricing';
import { fetchJob } from '../transport/apiframe';
import { deliveryKey, eventToJob, type Delivery } from '../webhooks/event';
import { answer, receiveDelivery } from '../webhooks/receive';
import { OTHER_EVENTS } from './description';
import { claimInThisProcess, passedInThisProcessFor, rememberDelivery } from './deliveryLog';

type OtherDelivery = Extract<Delivery, { kind: 'other' }>;

/**
 * Whether a delivery is new. This process's record catches copies arriving together, which static
 * data cannot (see deliveryLog.ts); static data catches a copy reaching another process after the
 * first was saved. In the process, a trigger is the webhook its deliveries are addressed to.
 */
function isNewDelivery(this: IWebhookFunctions, key: string): boolean {
	const node = this.getNode();
	const trigger = `${this.getWorkflow().id ?? ''}:${node.webhookId ?? node.id ?? node.name}:${this.getMode()}`;
	return claimInThisProcess(trigger, key) && rememberDelivery(this.getWorkflowStaticData('node'), key, passedInThisProcessFor(trigger));
}

/**
 * A signed delivery that is not a job event the node knows. It is answered 200 either way, since a
 * 4xx would make Apiframe drop it or send it again forever; with Other Events chosen it starts the
 * workflow with the raw body, otherwise a warning in n8n's log is all that is left of it.
 */
function handleOther(this: IWebhookFunctions, delivery: OtherDelivery, events: string[]): IWebhookResponseData {
	const res = this.getResponseObject();
	if (!events.includes(OTHER_EVENTS)) {
		this.logger.warn(`Seedance Trigger: a signed delivery was acknowledged and not passed on: ${delivery.reason}. Choose Other Events in Events to start the workflow with such deliveries.`, {
			reason: delivery.reason,
			event: delivery.name,
		});
		return answer(res, 200, { received: true, ignored: `not a job event the node knows: ${delivery.reason}` });
	}
	if (!isNewDelivery.call(this, deliveryKey(delivery))) {
		return answer(res, 200, { received: true, duplicate: true });
	}
	res.status(200).json({ received: true });
	const json: IDataObject = { event: delivery.name, unmapped: delivery.reason, webhook: delivery.body as IDataObject };
	return { noWebhookResponse: true, workflowData: [[{ json }]] };
}

/**
 * Checks one delivery from Apiframe and, when it is a new, signed job event of a chosen kind,
 * acknowledges it at once and hands the job to the workflow (with its video, when asked).
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const verified = this.getNodeParameter('verifySignature', true) as boolean;
	const received = await receiveDelivery.call(this, verified);
	if ('rejected' in received) return received.rejected;
	const { delivery } = received;
	const events = this.getNodeParameter('events', [...JOB_END_EVENTS]) as string[];
	if (delivery.kind === 'other') return handleOther.call(this, delivery, events);
	const { event } = delivery;
	if (delivery.overruledHeader) {
		this.logger.warn(
			`Seedance Trigger: X-Webhook-Event said "${delivery.overruledHeader.header}" but the body of job ${event.jobId} says "${event.event}": the body decides, as only it is signed`,
			{ header: delivery.overruledHeader.header, event: event.event, jobId: event.jobId },
		);
	}

	if (!events.includes(event.event)) {
		return answer(res, 200, { received: true, ignored: `event "${event.event}" is not selected` });
	}

	if (!isNewDelivery.call(this, deliveryKey(delivery))) {
		return answer(res, 200, { received: true, duplicate: true });
	}

	// Acknowledge before the slow part (re-reading the job, downloading the video), so Apiframe
	// does not time out and deliver the same event again.
	res.status(200).json({ received: true });

	let refetchError: string | undefined;
	let job = eventToJob(event);
	// Only Apiframe's record of the job holds its request, which the estimate is made from.
	let estimate: CreditEstimate = { kind: 'unknown', reason: "The event does not carry the job's request: turn on Re-Read Job for its estimate" };
	const refetch = this.getNodeParameter('refetchJob', false) as boolean;
	let reread = false;
	if (refetch) {
		try {
			job = await fetchJob.call(this, event.jobId, 0);
			reread = true;
			estimate = estimateJobInput(await readPriceList.call(this), job.input);
		} catch (error) {
			refetchError = (error as Error).message;
			estimate = { kind: 'unknown', reason: "Apiframe's record of the job could not be read (see refetchError)" };
		}
	}

	// What an unverified body names is fetched by no one: without the signature, only Apiframe's
	// own record of the job (the re-read) may point the download at a URL.
	const downloadVideo = this.getNodeParameter('downloadVideo', true) as boolean;
	const mayDownload = verified || reread;
	let downloadSkipped: string | undefined;
	if (downloadVideo && !mayDownload) {
		downloadSkipped = refetch
			? "Verify Signature is off and Apiframe's record of the job could not be read (see refetchError): the URLs in an unverified body are never downloaded. Run Job → Get with this job ID for the video."
			: 'Verify Signature is off: the URLs in an unverified body are never downloaded. Turn on Re-Read Job to download the video Apiframe\'s record of the job names, or turn Verify Signature on.';
	}

	// A job event is handed on whatever the job's fate: a failed job is data here, not an error,
	// and a failed download is reported beside the job.
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const settings = settleSettings({
		wait: false,
		download: downloadVideo && mayDownload ? readDownloadPlan(options) : false,
		concurrency: 1,
		failedJobIsError: false,
	});
	const [settled] = await settle.call(this, [observe(submitted(0, job.id, null, job), job)], settings);
	const json: JobOutput = {
		event: event.event,
		...(refetchError === undefined ? {} : { refetchError }),
		...(downloadSkipped === undefined ? {} : { downloadSkipped }),
		...jobToOutput(lastKnownJob(settled) ?? job),
		...estimateFields(estimate),
		webhook: delivery.body as IDataObject,
		...(settled.kind === 'failed' ? { downloadError: settled.error.message } : {}),
	};

	const item: INodeExecutionData = { json };
	if (settled.kind === 'settled' && settled.binary) item.binary = settled.binary;
	return { noWebhookResponse: true, workflowData: [[item]] };
}
