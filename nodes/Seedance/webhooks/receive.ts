import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { SEEDANCE_API_CREDENTIAL } from '../../../credentials/SeedanceApi.credentials';
import { webhookEventSchema, type WebhookEvent } from './event';
import { verifySignature } from './signature';

/** Apiframe's events are a few kilobytes; anything far larger is not one of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Answers the request from the node itself; no execution starts or resumes. */
export function answer(res: ResponseObject, status: number, body: IDataObject): IWebhookResponseData {
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
 * Reads one delivery from Apiframe: the job event when it is small, signed with the credential's
 * key (unless the check is off) and well-formed; otherwise the 413, 401 or 400 already sent.
 */
export async function receiveJobEvent(
	this: IWebhookFunctions,
	verify: boolean,
): Promise<{ event: WebhookEvent } | { rejected: IWebhookResponseData }> {
	const res = this.getResponseObject();
	const rawBody = rawBodyOf.call(this);
	if (rawBody.length > MAX_BODY_BYTES) {
		return { rejected: answer(res, 413, { error: `Body larger than ${MAX_BODY_BYTES} bytes: not an Apiframe job event` }) };
	}
	if (verify) {
		const credentials = await this.getCredentials(SEEDANCE_API_CREDENTIAL);
		const header = this.getHeaderData()['x-webhook-signature'];
		const signature = Array.isArray(header) ? header[0] : header;
		if (!verifySignature(rawBody, signature, String(credentials.apiKey ?? ''))) {
			const error = signature ? 'Invalid X-Webhook-Signature' : 'Missing X-Webhook-Signature';
			return { rejected: answer(res, 401, { error }) };
		}
	}
	const event = parseEvent(rawBody);
	if (!event) {
		return { rejected: answer(res, 400, { error: 'Not an Apiframe job event: expected JSON with event and jobId' }) };
	}
	return { event };
}
