import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { downloadJobFiles } from '../helpers/binaryData';
import type { ApiframeJob } from '../helpers/interfaces';
import { jobToOutput } from '../helpers/jobOutput';
import { fetchJob } from '../helpers/polling';
import { answer, receiveJobEvent } from '../helpers/jobEventRequest';
import { rememberDelivery } from './deliveryLog';
import { deliveryKey, eventToJob } from './webhookEvent';

/**
 * Checks one delivery from Apiframe and, when it is a new, signed job event of a chosen kind,
 * acknowledges it at once and hands the job to the workflow (with its video, when asked).
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const received = await receiveJobEvent.call(this, this.getNodeParameter('verifySignature', true) as boolean);
	if ('rejected' in received) return received.rejected;
	const { event } = received;

	const events = this.getNodeParameter('events', ['completed', 'failed']) as string[];
	if (!events.includes(event.event)) {
		return answer(res, 200, { received: true, ignored: `event "${event.event}" is not selected` });
	}

	if (!rememberDelivery(this.getWorkflowStaticData('node'), deliveryKey(event))) {
		return answer(res, 200, { received: true, duplicate: true });
	}

	// Acknowledge before the slow part (re-reading the job, downloading the video), so Apiframe
	// does not time out and deliver the same event again.
	res.status(200).json({ received: true });

	const options = this.getNodeParameter('options', {}) as IDataObject;
	const json: IDataObject = { event: event.event };
	let job: ApiframeJob = eventToJob(event);
	if (this.getNodeParameter('refetchJob', false) as boolean) {
		try {
			job = await fetchJob.call(this, event.jobId, 0);
		} catch (error) {
			json.refetchError = (error as Error).message;
		}
	}
	Object.assign(json, jobToOutput(job), { event: event.event, webhook: event as IDataObject });

	const item: INodeExecutionData = { json };
	if (this.getNodeParameter('downloadVideo', true) && job.status === 'COMPLETED') {
		try {
			item.binary = await downloadJobFiles.call(this, job, 0, {
				videoProperty: String(options.binaryPropertyName || 'data'),
				lastFrameProperty: String(options.lastFrameBinaryPropertyName || 'lastFrame'),
			});
		} catch (error) {
			json.downloadError = (error as Error).message;
		}
	}
	return { noWebhookResponse: true, workflowData: [[item]] };
}
