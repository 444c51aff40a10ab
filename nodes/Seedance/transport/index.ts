import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { ZodType, ZodTypeDef } from 'zod';

import { APIFRAME_BASE_URL, SEEDANCE_API_CREDENTIAL } from '../../../credentials/SeedanceApi.credentials';
import { cancellableSleep, ExecutionCancelledError, signalForOneUse, throwIfCancelled } from '../base/cancellation';
import { apiError, malformedAnswerError, operationError, toNodeError, type ApiFailure, type ErrorContext } from '../base/errors';
import { requestLimitOf } from './pacing';
import { countedThrottleMs, nextRetryDelay, parseRetryAfter, throttleMs } from './retryPolicy';

export const REQUEST_TIMEOUT_MS = 60_000;

/** Redirects within the Base URL's origin followed for one attempt; more is a loop. */
export const MAX_SAME_ORIGIN_REDIRECTS = 5;

export type ApiContext = IExecuteFunctions | IWebhookFunctions;

export interface ApiRequest<Answer> {
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
	/**
	 * 'retried' (the default): as often as retryPolicy.ts allows. 'once', for an optimisation the
	 * caller can do without (the job list while polling): one attempt, no retry, and a 429 to it
	 * holds back only the caller's own next try (its error carries the Retry-After as
	 * `context.retryAfterMs`), not the execution's other requests.
	 */
	attempts?: 'retried' | 'once';
	signal?: AbortSignal;
	errorContext?: ErrorContext;
	/** What a 2xx answer must look like; anything else is reported, never passed on unchecked. */
	answer: ZodType<Answer, ZodTypeDef, unknown>;
}

export interface FullResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Each run's Base URL, read once: reading the credential decrypts it and resolves its values, and
 * a run of 1,000 rows makes about 2,000 requests. n8n gives every run (and every delivery) a
 * context of its own, so a changed credential is read by the next run.
 */
const baseUrlOfRun = new WeakMap<ApiContext, Promise<string>>();

export async function getBaseUrl(this: ApiContext): Promise<string> {
	let baseUrl = baseUrlOfRun.get(this);
	if (!baseUrl) {
		baseUrl = readBaseUrl.call(this);
		baseUrlOfRun.set(this, baseUrl);
		// A failed read is not kept: the next request reads the credential again.
		baseUrl.catch(() => baseUrlOfRun.delete(this));
	}
	return await baseUrl;
}

async function readBaseUrl(this: ApiContext): Promise<string> {
	const credentials = await this.getCredentials(SEEDANCE_API_CREDENTIAL);
	const baseUrl = String(credentials.baseUrl || APIFRAME_BASE_URL).trim();
	return baseUrl.replace(/\/+$/, '');
}

export function header(headers: FullResponse['headers'], name: string): string | undefined {
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
 * body of a 2xx answer once it matches `request.answer`. Anything else becomes a NodeApiError
 * naming the status, Apiframe's message, the request id and the fix.
 */
export async function apiRequest<Answer>(context: ApiContext, request: ApiRequest<Answer>): Promise<Answer> {
	const baseUrl = await getBaseUrl.call(context);
	const repeatable = request.method === 'GET' || Boolean(request.idempotencyKey) || Boolean(request.harmlessToRepeat);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
		// n8n's redirect library carries X-API-Key to any host; redirects are followed here instead,
		// and only within the Base URL's origin (see sendOnce).
		disableFollowRedirect: true,
		headers: {
			Accept: 'application/json',
			...request.headers,
			...(request.idempotencyKey ? { 'Idempotency-Key': request.idempotencyKey } : {}),
		},
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	// n8n (1.123 and 2.41 alike) replaces this with the execution's cancel signal in
	// httpRequestWithAuthentication; `request.signal` still stops retries and queued requests.
	if (request.signal) options.abortSignal = signalForOneUse(request.signal);

	const limit = requestLimitOf(context);
	let throttledMs = 0;
	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(request.signal);
		const ticket = await limit?.acquire(request.signal);
		let sent: Attempt;
		try {
			sent = await sendOnce(context, request, options, attempt);
		} catch (error) {
			if (ticket) limit?.release(ticket);
			throw toNodeError(context.getNode(), error);
		}
		const once = request.attempts === 'once';
		// A 429 slows every request of the execution; the limit then holds the retry back.
		if (ticket) limit?.release(ticket, once ? undefined : throttledForMs(attempt, sent));
		if (sent.ok) return checkAnswer(context, request, sent.body);
		const failure = { ...sent.failure, baseUrl };
		const { retryAfterHeader } = sent;
		if (once) throw apiError(context.getNode(), { ...failure, retryAfterMs: parseRetryAfter(retryAfterHeader) }, request.errorContext);
		const delay = nextRetryDelay(
			attempt,
			{ status: failure.status, networkError: Boolean(failure.networkError), retryAfterHeader },
			repeatable,
			throttledMs,
		);
		if (delay === undefined) throw apiError(context.getNode(), failure, request.errorContext);
		if (failure.status === 429) throttledMs += countedThrottleMs(delay);
		if (!(limit && failure.status === 429)) await cancellableSleep(delay, request.signal);
	}
}

type Attempt = { ok: true; body: unknown } | { ok: false; failure: ApiFailure; retryAfterHeader?: string };

/**
 * For an attempt answered 429: how long Apiframe asked to wait (the back-off when it did not say),
 * the same whether or not the request has a retry left.
 */
function throttledForMs(attempt: number, sent: Attempt): number | undefined {
	if (sent.ok || sent.failure.status !== 429) return undefined;
	return throttleMs(attempt, sent.retryAfterHeader);
}

/**
 * Whether an error is a redirect off the Base URL's origin, refused. It is never a reason to carry
 * on without the answer (as a missing price list is): the credential points somewhere unsafe.
 */
export function isRefusedRedirect(error: unknown): boolean {
	return (error as { context?: { refusedRedirect?: unknown } } | undefined)?.context?.refusedRedirect === true;
}

/** Where a 3xx answer points, resolved against the URL it answered; undefined for any other answer. */
function redirectTarget(response: FullResponse, from: string): URL | undefined {
	if (response.statusCode < 300 || response.statusCode >= 400) return undefined;
	const location = header(response.headers, 'location');
	if (!location) return undefined;
	try {
		return new URL(location, from);
	} catch {
		return undefined;
	}
}

/** The request a redirect asks for: a 303, or a 301/302 after a POST, becomes a GET without a body. */
function redirected(options: IHttpRequestOptions, status: number, target: URL): IHttpRequestOptions {
	const toGet = status === 303 || ((status === 301 || status === 302) && options.method === 'POST');
	const next: IHttpRequestOptions = { ...options, url: target.href };
	// The Location holds the whole query; sending qs again would repeat it.
	delete next.qs;
	if (toGet) {
		next.method = 'GET';
		delete next.body;
		const headers = { ...(next.headers ?? {}) };
		for (const name of Object.keys(headers)) if (/^content-/i.test(name)) delete headers[name];
		next.headers = headers;
	}
	return next;
}

/**
 * One attempt: the body of a 2xx answer, or what went wrong (an HTTP error or a network failure).
 * A redirect within the Base URL's origin is followed (a few hops at most); one to any other
 * origin ends the request with an error, before the key is sent there.
 */
async function sendOnce<Answer>(
	context: ApiContext,
	request: ApiRequest<Answer>,
	options: IHttpRequestOptions,
	attempt: number,
): Promise<Attempt> {
	const described = { attempts: attempt, method: request.method, path: request.path, idempotencyKey: request.idempotencyKey };
	const origin = new URL(options.url).origin;
	let hop = options;
	for (let redirects = 0; ; redirects++) {
		let response: FullResponse;
		try {
			if (request.makeBody) hop.body = await request.makeBody();
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				SEEDANCE_API_CREDENTIAL,
				hop,
			)) as FullResponse;
		} catch (error) {
			throwIfCancelled(request.signal);
			if (error instanceof ExecutionCancelledError) throw toNodeError(context.getNode(), error);
			return { ok: false, failure: { networkError: networkErrorText(error), ...described } };
		}
		const target = redirectTarget(response, hop.url);
		if (!target) {
			if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, body: response.body };
			return {
				ok: false,
				failure: {
					status: response.statusCode,
					body: response.body,
					requestId: header(response.headers, 'x-request-id'),
					...described,
				},
				retryAfterHeader: header(response.headers, 'retry-after'),
			};
		}
		if (target.origin !== origin) {
			const error = operationError(
				context.getNode(),
				`The Base URL redirected ${request.method} ${request.path} to another host, ${target.host}: the request was stopped and the API key was not sent there`,
				`${origin} answered ${response.statusCode} pointing at ${target.origin}. The API key is only ever sent to the credential's Base URL: set Base URL to the address that serves Apiframe's API itself (${APIFRAME_BASE_URL}), not one that redirects.`,
				request.errorContext,
			);
			error.context.refusedRedirect = true;
			throw error;
		}
		if (redirects >= MAX_SAME_ORIGIN_REDIRECTS) {
			throw operationError(
				context.getNode(),
				`The Base URL redirected ${request.method} ${request.path} more than ${MAX_SAME_ORIGIN_REDIRECTS} times`,
				`${origin} keeps redirecting (last to ${target.pathname}): set the credential's Base URL to the address that serves Apiframe's API itself.`,
				request.errorContext,
			);
		}
		hop = redirected(hop, response.statusCode, target);
	}
}

function checkAnswer<Answer>(context: ApiContext, request: ApiRequest<Answer>, body: unknown): Answer {
	const parsed = request.answer.safeParse(body);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
	throw malformedAnswerError(context.getNode(), request, `${where}${issue.message}`, request.errorContext);
}
