import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { APIFRAME_BASE_URL } from '../../../credentials/SeedanceApi.credentials';
import { uiFieldForPath } from './fieldLabels';
import { AUTOMATIC_KEY_PREFIX } from './idempotency';

/** What we keep of a failed Apiframe response: never the request, so never the API key. */
export interface ApiFailure {
	status?: number;
	body?: unknown;
	requestId?: string;
	networkError?: string;
	attempts: number;
	method: string;
	path: string;
	/** The key the request carried, shown so a later run can replay the job with it. */
	idempotencyKey?: string;
	/** The wait Apiframe asked for (Retry-After), for a caller that tries again on its own schedule. */
	retryAfterMs?: number;
	/** The credential's Base URL the request went to, named when the answer shows it is not Apiframe's API. */
	baseUrl?: string;
}

/** Whether the request read one job, the only call whose 404 says the job is unknown. */
function isJobRead(failure: ApiFailure): boolean {
	return failure.method === 'GET' && /^\/v2\/jobs\/[^/]+$/.test(failure.path);
}

function apiMessage(body: unknown): string | undefined {
	if (body && typeof body === 'object' && typeof (body as JsonObject).error === 'string') {
		return (body as JsonObject).error as string;
	}
	if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 300);
	return undefined;
}

function detailLines(body: unknown): string[] {
	const details = body && typeof body === 'object' ? (body as JsonObject).details : undefined;
	if (!details || typeof details !== 'object' || Array.isArray(details)) return [];
	return Object.entries(details as Record<string, unknown>).map(([path, messages]) => {
		const text = Array.isArray(messages) ? messages.join('; ') : String(messages);
		return `${uiFieldForPath(path)}: ${text}`;
	});
}

function headline(failure: ApiFailure, message: string | undefined): string {
	const said = message ? `: ${message}` : '';
	switch (failure.status) {
		case 400:
			return `Apiframe rejected the request${said}`;
		case 401:
			return `Apiframe rejected the API key (401)${said}`;
		case 402: {
			const body = (failure.body ?? {}) as JsonObject;
			return `Not enough Apiframe credits: this job needs ${String(body.creditsRequired ?? '?')}, the team has ${String(body.creditsAvailable ?? '?')}`;
		}
		case 403:
			return `The Apiframe API key is inactive or not allowed (403)${said}`;
		case 404:
			if (isJobRead(failure)) return `Apiframe does not know this job (404)${said}`;
			return `${failure.baseUrl ? `The Base URL ${failure.baseUrl}` : 'The Base URL'} does not serve Apiframe's API: ${failure.method} ${failure.path} answered 404${said}`;
		case 409:
			return `The Idempotency-Key was already used for a different request (409)${said}`;
		case 429:
			return `Apiframe is rate limiting these requests (429) and still was after ${failure.attempts} attempts${said}`;
		default:
			if (failure.networkError) {
				return `Could not reach Apiframe after ${failure.attempts} attempts: ${failure.networkError}`;
			}
			return `Apiframe answered ${failure.status ?? 'with an error'}${said}`;
	}
}

function fix(failure: ApiFailure): string | undefined {
	switch (failure.status) {
		case 400:
			return 'Change the fields named above.';
		case 401:
		case 403:
			return 'Check the API key in the Seedance API credential (Apiframe dashboard → API keys).';
		case 402:
			return 'Add credits to the Apiframe team, or choose a shorter duration or a cheaper model.';
		case 404:
			return isJobRead(failure)
				? undefined
				: `Set Base URL in the Seedance API credential to ${APIFRAME_BASE_URL} (Apiframe's own), or to the root of a proxy that forwards to it, without a path such as /v2.`;
		case 409:
			return failure.idempotencyKey?.startsWith(AUTOMATIC_KEY_PREFIX)
				? 'A job was already submitted for this item in this execution, with a request that differed: its media were uploaded again (upload URLs change) or an expression gave another value. Nothing was billed twice. Find that job in your Apiframe dashboard, or run the workflow again to submit a new one.'
				: 'This Idempotency Key was used for a different request within the last 24 hours: give each different request its own key.';
		case 429:
			return 'Lower Options › Concurrency, or retry later.';
		default:
			if (!(failure.status && failure.status >= 500) && !failure.networkError) return undefined;
			return failure.idempotencyKey
				? 'Apiframe may or may not have accepted the job. Retry On Fail replays it under the same Idempotency-Key instead of billing twice; a new execution uses a new key unless Options › Idempotency Key is set to the key below.'
				: 'Apiframe had a temporary problem: try again later.';
	}
}

export interface ErrorContext {
	itemIndex?: number;
	jobId?: string;
	/** Other items' jobs, so a failure of one item never hides jobs that were already submitted. */
	batchSummary?: string;
}

export function describe(parts: Array<string | undefined>): string {
	return parts.filter((part): part is string => Boolean(part)).join('\n');
}

export function apiError(node: INode, failure: ApiFailure, context: ErrorContext = {}): NodeApiError {
	const message = apiMessage(failure.body);
	const jobLine = context.jobId ? `Job ID: ${context.jobId}` : undefined;
	const error = new NodeApiError(
		node,
		{
			status: failure.status ?? null,
			error: message ?? failure.networkError ?? null,
			requestId: failure.requestId ?? null,
			...(context.jobId ? { jobId: context.jobId } : {}),
		} as JsonObject,
		{
			message: headline(failure, message) + (context.jobId ? ` (job ${context.jobId})` : ''),
			description: describe([
				...detailLines(failure.body),
				fix(failure),
				jobLine,
				failure.requestId ? `Request ID: ${failure.requestId}` : undefined,
				failure.idempotencyKey ? `Idempotency-Key: ${failure.idempotencyKey}` : undefined,
				`${failure.method} ${failure.path}`,
				context.batchSummary,
			]),
			httpCode: failure.status ? String(failure.status) : undefined,
			itemIndex: context.itemIndex,
		},
	);
	error.context.jobId = context.jobId;
	error.context.httpStatus = failure.status;
	error.context.requestId = failure.requestId;
	if (failure.retryAfterMs !== undefined) error.context.retryAfterMs = failure.retryAfterMs;
	return error;
}

export function operationError(
	node: INode,
	message: string,
	description: string | undefined,
	context: ErrorContext = {},
): NodeOperationError {
	const error = new NodeOperationError(node, message, {
		description: describe([description, context.jobId ? `Job ID: ${context.jobId}` : undefined, context.batchSummary]),
		itemIndex: context.itemIndex,
	});
	error.context.jobId = context.jobId;
	return error;
}

/** The fields a failed item carries in its output when the node continues on fail. */
export function errorOutput(error: Error & { context?: Record<string, unknown>; description?: string | null }) {
	const context = error.context ?? {};
	return {
		jobId: (context.jobId as string | undefined) ?? null,
		error: error.message,
		errorDescription: error.description ?? null,
		httpStatus: (context.httpStatus as number | undefined) ?? null,
		requestId: (context.requestId as string | undefined) ?? null,
	};
}

/**
 * Passes n8n's own errors on unchanged (they already carry the item, job and HTTP details) and
 * wraps anything else, such as a cancelled wait, in a NodeOperationError.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * A 2xx answer whose body is not what Apiframe's API describes. For a submit the job may exist and
 * be billed, so the Idempotency-Key is given: a retry under it replays the job instead.
 */
export function malformedAnswerError(
	node: INode,
	request: { method: string; path: string; idempotencyKey?: string },
	problem: string,
	context: ErrorContext = {},
): NodeApiError {
	const jobLine = context.jobId ? `Job ID: ${context.jobId}` : undefined;
	const error = new NodeApiError(
		node,
		{ error: problem, ...(context.jobId ? { jobId: context.jobId } : {}) } as JsonObject,
		{
			message: `Apiframe answered ${request.method} ${request.path} with something this node does not understand: ${problem}`,
			description: describe([
				request.idempotencyKey
					? 'Apiframe may have accepted the job. Retry On Fail replays it under the same Idempotency-Key instead of billing twice.'
					: undefined,
				'If this keeps happening, Apiframe has changed its API: report it to the maintainers of n8n-nodes-seedance.',
				jobLine,
				request.idempotencyKey ? `Idempotency-Key: ${request.idempotencyKey}` : undefined,
				context.batchSummary,
			]),
			itemIndex: context.itemIndex,
		},
	);
	error.context.jobId = context.jobId;
	return error;
}
