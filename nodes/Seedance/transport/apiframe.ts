import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { modelCatalogueSchema } from '../schemas/catalogue';
import type { SeedanceRequestBody } from '../schemas/seedanceRequest';
import { apiRequest, type ApiContext, type ApiRequest } from './index';
import {
	accountSchema,
	assetSchema,
	jobAcceptedSchema,
	jobListSchema,
	jobSchema,
	type ApiframeJob,
	type JobListPage,
	type JobStatus,
} from './responses';

/** The Apiframe calls the node makes, each with its answer checked. */

export async function fetchJob(
	this: ApiContext,
	jobId: string,
	itemIndex: number,
	signal?: AbortSignal,
): Promise<ApiframeJob> {
	return await apiRequest(this, {
		method: 'GET',
		path: `/v2/jobs/${encodeURIComponent(jobId)}`,
		signal,
		errorContext: { itemIndex, jobId },
		answer: jobSchema,
	});
}

/** The filters of `GET /v2/jobs`; it has no time filter. */
export interface JobListQuery {
	status?: JobStatus;
	model?: string;
	/** 1 to JOB_LIST_PAGE_MAX. */
	limit: number;
	cursor?: string;
}

/**
 * One page of the account's jobs, newest first. `attempts: 'once'` when the caller has a fallback
 * (polling reads by ID): see ApiRequest.attempts.
 */
export async function fetchJobPage(
	this: ApiContext,
	query: JobListQuery,
	itemIndex: number,
	signal?: AbortSignal,
	attempts: ApiRequest<JobListPage>['attempts'] = 'retried',
): Promise<JobListPage> {
	const qs: IDataObject = { limit: query.limit };
	if (query.status) qs.status = query.status;
	if (query.model) qs.model = query.model;
	if (query.cursor) qs.cursor = query.cursor;
	return await apiRequest(this, {
		method: 'GET',
		path: '/v2/jobs',
		qs,
		signal,
		attempts,
		errorContext: { itemIndex },
		answer: jobListSchema,
	});
}

/** Submits one job. The Idempotency-Key makes a repeated submit replay the job instead of billing it again. */
export async function submitVideo(
	this: IExecuteFunctions,
	body: SeedanceRequestBody,
	idempotencyKey: string,
	itemIndex: number,
	signal?: AbortSignal,
) {
	return await apiRequest(this, {
		method: 'POST',
		path: '/v2/videos/generate',
		body: { ...body },
		idempotencyKey,
		signal,
		errorContext: { itemIndex },
		answer: jobAcceptedSchema,
	});
}

export async function fetchAccount(this: ApiContext, itemIndex: number, signal?: AbortSignal) {
	return await apiRequest(this, {
		method: 'GET',
		path: '/v2/me',
		signal,
		errorContext: { itemIndex },
		answer: accountSchema,
	});
}

/** Apiframe's public catalogue of video models, with each model's cost range. */
export async function fetchVideoModelCatalogue(this: ApiContext, signal?: AbortSignal) {
	return await apiRequest(this, {
		method: 'GET',
		path: '/v2/models',
		qs: { modality: 'video' },
		signal,
		answer: modelCatalogueSchema,
	});
}

/** Registers media with the upstream provider, for use as `asset://<assetId>`. */
export async function createAsset(
	this: IExecuteFunctions,
	media: { url: string; type: string },
	itemIndex: number,
	signal?: AbortSignal,
) {
	const body: IDataObject = { url: media.url, type: media.type };
	return await apiRequest(this, {
		method: 'POST',
		path: '/v2/assets/create',
		body,
		signal,
		errorContext: { itemIndex },
		answer: assetSchema,
	});
}
