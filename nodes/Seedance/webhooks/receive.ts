import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { SEEDANCE_API_CREDENTIAL } from '../../../credentials/SeedanceApi.credentials';
import { readDelivery, type Delivery } from './event';
import { verifySignature } from './signature';

/** Apiframe's events are a few kilobytes; anything far larger is not one of them. */
export const MAX_BODY_BYTES = 1024 * 1024;

type ResponseObject = ReturnType<IWebhookFunctions['getResponseObject']>;

/** Answers the request from the node itself; no execution starts or resumes. */
export function answer(res: ResponseObject, status: number, body: IDataObject): IWebhookResponseData {
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * The body's bytes as sent. n8n reads them before the node runs only for content types it parses
 * (for a webhook node of version 2 and later); for any other type the node asks n8n to read them,
 * so a signed delivery is checked against its own bytes whatever its Content-Type says.
 */
async function rawBodyOf(this: IWebhookFunctions): Promise<Buffer> {
	const request = this.getRequestObject() as { rawBody?: Buffer | string; readRawBody?: () => Promise<void> };
	if (request.rawBody === undefined && typeof request.readRawBody === 'function') {
		try {
			await request.readRawBody();
		} catch {
			// Already consumed (a multipart body n8n parsed into fields): fall back to the parsed body.
		}
	}
	if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
	if (typeof request.rawBody === 'string') return Buffer.from(request.rawBody, 'utf8');
	// Without the raw bytes the signature can only be checked against the re-serialised body.
	return Buffer.from(JSON.stringify(this.getBodyData()), 'utf8');
}

function headerOf(this: IWebhookFunctions, name: string): string | undefined {
	const header = this.getHeaderData()[name];
	return Array.isArray(header) ? header[0] : header;
}

/**
 * Reads one delivery from Apiframe: when it is small and signed with the credential's key (unless
 * the check is off), what it holds; otherwise the 413 or 401 already sent. A signed body is never
 * refused for its shape: Apiframe would drop it or send it again forever, so one the node cannot
 * read as a job event comes back as `other` for the caller to pass on or acknowledge.
 */
export async function receiveDelivery(
	this: IWebhookFunctions,
	verify: boolean,
): Promise<{ delivery: Delivery } | { rejected: IWebhookResponseData }> {
	const res = this.getResponseObject();
	const rawBody = await rawBodyOf.call(this);
	if (rawBody.length > MAX_BODY_BYTES) {
		return { rejected: answer(res, 413, { error: `Body larger than ${MAX_BODY_BYTES} bytes: not an Apiframe job event` }) };
	}
	if (verify) {
		const credentials = await this.getCredentials(SEEDANCE_API_CREDENTIAL);
		const apiKey = String(credentials.apiKey ?? '');
		if (!apiKey) {
			// Signed with an empty key, a body's signature proves nothing: no delivery is taken.
			this.logger.error('Seedance Trigger: the credential has no API key, so no delivery can be verified: every delivery is refused until the key is set');
			return { rejected: answer(res, 500, { error: 'The receiving credential has no API key: signatures cannot be verified' }) };
		}
		const signature = headerOf.call(this, 'x-webhook-signature');
		if (!verifySignature(rawBody, signature, apiKey)) {
			const error = signature ? 'Invalid X-Webhook-Signature' : 'Missing X-Webhook-Signature';
			return { rejected: answer(res, 401, { error }) };
		}
	}
	return { delivery: readDelivery(rawBody, headerOf.call(this, 'x-webhook-event')) };
}
