import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { downloadJobFiles } from '../helpers/binaryData';
import type { ApiframeJob } from '../helpers/interfaces';
import { jobToOutput } from '../helpers/jobOutput';
import { fetchJob } from '../helpers/polling';
import { verifySignature } from '../helpers/webhookSignature';
import { CREDENTIAL_TYPE } from '../transport';
import { rememberDelivery } from './deliveryLog';
import { deliveryKey, eventToJob, webhookEventSchema, type WebhookEvent } from './webhookEvent';

/** Apiframe's events are a few kilobytes; anything far larger is not one of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

function answer(res: ResponseObject, status: number, body: IDataObject): IWebhookResponseData {
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

function rawBodyOf(this: IWebhookFunctions): Buffer {
	const request = this.getRequestObject() as { rawBody?: Buffer | string };
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	if (typeof request.rawBody === 'string') return Buffer.from(request.rawBody, 'utf8');
	// Without the raw bytes the signature can only be checked against the re-serialised body.
	return Buffer.from(JSON.stringify(this.getBodyData()), 'utf8');
}

function parseEvent(rawBody: Buffer): WebhookEvent | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	const event = webhookEventSchema.safeParse(parsed);
	return event.success ? event.data : undefined;
}

/**
 * Checks one delivery from Apiframe and, when it is a new, signed job event of a chosen kind,
 * acknowledges it at once and hands the job to the workflow (with its video, when asked).
 */
export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const res = this.getResponseObject();
	const rawBody = rawBodyOf.call(this);
	if (rawBody.length > MAX_BODY_BYTES) {
		return answer(res, 413, { error: `Body larger than ${MAX_BODY_BYTES} bytes: not an Apiframe job event` });
	}

	if (this.getNodeParameter('verifySignature', true) as boolean) {
		const credentials = await this.getCredentials(CREDENTIAL_TYPE);
		const header = this.getHeaderData()['x-webhook-signature'];
		const signature = Array.isArray(header) ? header[0] : header;
		if (!verifySignature(rawBody, signature, String(credentials.apiKey ?? ''))) {
			return answer(res, 401, {
				error: signature ? 'Invalid X-Webhook-Signature' : 'Missing X-Webhook-Signature',
			});
		}
	}

	const event = parseEvent(rawBody);
	if (!event) {
		return answer(res, 400, { error: 'Not an Apiframe job event: expected JSON with event and jobId' });
	}

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
