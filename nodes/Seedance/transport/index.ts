import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { apiError, toNodeError, type ApiFailure, type ErrorContext } from '../helpers/errors';
import { cancellableSleep, ExecutionCancelledError, throwIfCancelled } from '../helpers/sleep';
import { nextRetryDelay } from './retryPolicy';

export const CREDENTIAL_TYPE = 'seedanceApi';
const DEFAULT_BASE_URL = 'https://api.apiframe.ai';
const REQUEST_TIMEOUT_MS = 60_000;

export type ApiContext = IExecuteFunctions | IWebhookFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Sent as Idempotency-Key; also makes 5xx and network errors safe to retry for a POST. */
	idempotencyKey?: string;
	/** A body that can be sent only once (a stream) is made afresh for every attempt. */
	makeBody?: () => Promise<IHttpRequestOptions['body']>;
	headers?: Record<string, string>;
	/** The request bills nothing, so repeating it after a 5xx or network error is harmless. */
	harmlessToRepeat?: boolean;
	signal?: AbortSignal;
	errorContext?: ErrorContext;
}

interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export async function getBaseUrl(this: ApiContext): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).trim();
	return baseUrl.replace(/\/+$/, '');
}

function header(headers: FullResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** A network-level failure, reduced to its code and message (the raw error holds the request, API key included). */
function networkErrorText(error: unknown): string {
	const seen = new Set<unknown>();
	let current = error as { code?: string; message?: string; cause?: unknown } | undefined;
	while (current && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && /^E[A-Z]+/.test(current.code)) {
			return `${current.code}${current.message ? ` (${current.message})` : ''}`;
		}
		current = current.cause as typeof current;
	}
	return (error as Error)?.message ?? 'network error';
}

/**
 * Calls the Apiframe API with the credential's key, retrying what is safe to retry, and returns the
 * parsed body of a 2xx answer. Anything else becomes a NodeApiError naming the status, Apiframe's
 * message, the request id and the fix.
 */
export async function apiRequest<T = IDataObject>(this: ApiContext, request: ApiRequest): Promise<T> {
	const baseUrl = await getBaseUrl.call(this);
	const repeatable = request.method === 'GET' || Boolean(request.idempotencyKey) || Boolean(request.harmlessToRepeat);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
		headers: { Accept: 'application/json', ...request.headers },
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	if (request.idempotencyKey) options.headers!['Idempotency-Key'] = request.idempotencyKey;
	if (request.signal) options.abortSignal = request.signal;

	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(request.signal);
		let failure: ApiFailure;
		let retryAfterHeader: string | undefined;
		try {
			if (request.makeBody) options.body = await request.makeBody();
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as FullResponse;
			if (response.statusCode >= 200 && response.statusCode < 300) return response.body as T;
			retryAfterHeader = header(response.headers, 'retry-after');
			failure = {
				status: response.statusCode,
				body: response.body,
				requestId: header(response.headers, 'x-request-id'),
				attempts: attempt,
				method: request.method,
				path: request.path,
				idempotencyKey: request.idempotencyKey,
			};
		} catch (error) {
			throwIfCancelled(request.signal);
			if (error instanceof ExecutionCancelledError) throw toNodeError(this.getNode(), error);
			failure = {
				networkError: networkErrorText(error),
				attempts: attempt,
				method: request.method,
				path: request.path,
				idempotencyKey: request.idempotencyKey,
			};
		}
		const delay = nextRetryDelay(
			attempt,
			{ status: failure.status, networkError: Boolean(failure.networkError), retryAfterHeader },
			repeatable,
		);
		if (delay === undefined) throw apiError(this.getNode(), failure, request.errorContext);
		await cancellableSleep(delay, request.signal);
	}
}

/** The stream type n8n's binary helpers accept (named without importing node:stream). */
export type BinaryStream = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

export interface DownloadedStream {
	stream: BinaryStream;
	contentType?: string;
	contentLength?: number;
}

/**
 * Opens a result file (video or last frame) as a stream. Result URLs point at Apiframe's CDN, a
 * public host, so the API key is deliberately not sent with them.
 */
export async function openDownload(
	this: ApiContext,
	url: string,
	signal?: AbortSignal,
): Promise<{ ok: true; file: DownloadedStream } | { ok: false; status: number }> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (signal) options.abortSignal = signal;
	const response = (await this.helpers.httpRequest(options)) as FullResponse;
	if (response.statusCode < 200 || response.statusCode >= 300) {
		(response.body as BinaryStream | undefined)?.resume?.();
		return { ok: false, status: response.statusCode };
	}
	const length = Number(header(response.headers, 'content-length'));
	return {
		ok: true,
		file: {
			stream: response.body as BinaryStream,
			contentType: header(response.headers, 'content-type'),
			contentLength: Number.isFinite(length) ? length : undefined,
		},
	};
}
