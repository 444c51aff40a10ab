import type { IExecuteFunctions } from 'n8n-workflow';

import { operationError } from '../base/errors';
import { billableReferenceSeconds } from '../credits/estimate';
import { findModel } from '../models/models';
import { buildGenerateRequest, formatIssues } from './buildRequest';
import type { GenerateParams } from './params';
import type { SeedanceRequestBody } from '../schemas/seedanceRequest';
import { prepareMedia, type PendingUploads } from './mediaSources';

/** One item's video request: the body, the binary media to upload first, and what may be billed. */
export interface VideoRequest {
	body: SeedanceRequestBody;
	uploads: PendingUploads;
	/** The most reference video the job may be billed for, in seconds. */
	referenceVideoSeconds: number;
}

/**
 * Checks one item's Video fields and builds its request, free of charge: binary media are checked
 * but not uploaded, and nothing is submitted. Generate and Estimate share it, so an item that
 * Estimate accepts is one that Generate would send.
 */
export async function buildVideoRequest(
	this: IExecuteFunctions,
	itemIndex: number,
	input: GenerateParams,
	signal?: AbortSignal,
): Promise<VideoRequest> {
	const prepared = await prepareMedia.call(this, itemIndex, input, signal);
	const built = buildGenerateRequest(prepared.input);
	if (!built.ok) {
		throw operationError(
			this.getNode(),
			`${built.issues[0].field} ${built.issues[0].message}`,
			`${formatIssues(built.issues)}\nNothing was sent to Apiframe, so nothing was billed.`,
			{ itemIndex },
		);
	}
	const clips = built.body.seedanceParams?.reference_video_urls;
	return {
		body: built.body,
		uploads: prepared.uploads,
		referenceVideoSeconds: billableReferenceSeconds(
			prepared.input,
			Array.isArray(clips) ? clips.length : 0,
			findModel(built.body.model)?.references?.videoSeconds.total,
		),
	};
}
