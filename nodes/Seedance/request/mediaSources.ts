import type { IExecuteFunctions } from 'n8n-workflow';

import { operationError } from '../base/errors';
import { inspectBinaryMedia, type BinaryMedia } from '../media/binaryMedia';
import type { MediaKind } from '../media/mediaType';
import type { GenerateParams } from './params';
import { isMediaUrl } from '../schemas/mediaUrl';
import type { SeedanceRequestBody } from '../schemas/seedanceRequest';
import { fetchJob } from '../transport/apiframe';
import { extractResultUrls } from '../media/resultUrls';
import { JOB_ID_PATTERN } from '../transport/responses';
import { uploadBinaryMedia } from '../transport/upload';

/** Stands in for a binary field during validation; replaced by the upload's URL just before submit. */
const PLACEHOLDER_PREFIX = 'https://pending-upload.invalid/';

export type PendingUploads = Map<string, BinaryMedia>;

export interface PreparedInput {
	input: GenerateParams;
	uploads: PendingUploads;
}

/** The last frame of an earlier job, for Extend a Clip. */
async function lastFrameOf(this: IExecuteFunctions, jobId: string, itemIndex: number, signal?: AbortSignal): Promise<string> {
	const job = await fetchJob.call(this, jobId, itemIndex, signal);
	const { lastFrameUrl } = extractResultUrls(job.result);
	if (job.status !== 'COMPLETED' || !lastFrameUrl) {
		throw operationError(
			this.getNode(),
			job.status !== 'COMPLETED'
				? `Continue From: job ${jobId} is ${job.status}, not finished yet`
				: `Continue From: job ${jobId} has no last frame`,
			job.status !== 'COMPLETED'
				? 'Extend a clip once it has completed (turn on Wait for Completion in the node that made it).'
				: 'Make the clip with Video Settings › Return Last Frame turned on (Extend a Clip turns it on for its own clips), or give its last frame image instead.',
			{ itemIndex, jobId },
		);
	}
	return lastFrameUrl;
}

/**
 * Turns binary field names in the media fields into placeholders (after checking each file's type
 * and size) and resolves Extend's "Continue From" into a first frame. Free of charge: nothing is
 * uploaded yet, so an invalid item costs nothing and leaves no stray uploads.
 */
export async function prepareMedia(
	this: IExecuteFunctions,
	itemIndex: number,
	raw: GenerateParams,
	signal?: AbortSignal,
): Promise<PreparedInput> {
	const uploads: PendingUploads = new Map();
	const binaries = this.getInputData()[itemIndex]?.binary ?? {};
	const resolve = async (value: string | undefined, kind: MediaKind, field: string) => {
		const trimmed = value?.trim();
		if (!trimmed || isMediaUrl(trimmed) || !binaries[trimmed]) return value;
		const media = await inspectBinaryMedia(this, itemIndex, trimmed, kind, field);
		// Named by field and entry, so the request (and the Idempotency-Key hashed from it) is the
		// same on every attempt, whatever order the checks finish in.
		const placeholder = `${PLACEHOLDER_PREFIX}${itemIndex}/${encodeURIComponent(field)}`;
		uploads.set(placeholder, media);
		return placeholder;
	};
	const resolveAll = async (values: string[] | undefined, kind: MediaKind, field: string) =>
		values &&
		(await Promise.all(values.map(async (value, index) => (await resolve(value, kind, `${field} (entry ${index + 1})`))!)));

	const { continueFrom, ...input } = raw;
	if (input.inputMode === 'extend' && continueFrom) {
		input.firstFrame = JOB_ID_PATTERN.test(continueFrom)
			? await lastFrameOf.call(this, continueFrom, itemIndex, signal)
			: await resolve(continueFrom, 'image', 'Continue From');
	}
	input.firstFrame = await resolve(input.firstFrame, 'image', 'First Frame');
	input.lastFrame = await resolve(input.lastFrame, 'image', 'Last Frame');
	input.referenceImages = await resolveAll(input.referenceImages, 'image', 'Reference Images');
	input.referenceVideos = await resolveAll(input.referenceVideos, 'video', 'Reference Videos');
	input.referenceAudios = await resolveAll(input.referenceAudios, 'audio', 'Reference Audios');
	return { input, uploads };
}

/** Uploads the item's binary media (uploads expire after 1-2 hours, so just before submit) and puts their URLs in the body. */
export async function uploadPendingMedia(
	this: IExecuteFunctions,
	body: SeedanceRequestBody,
	uploads: PendingUploads,
	signal?: AbortSignal,
): Promise<SeedanceRequestBody> {
	if (uploads.size === 0) return body;
	const urls = new Map<string, string>();
	for (const [placeholder, media] of uploads) {
		urls.set(placeholder, (await uploadBinaryMedia.call(this, media, signal)).url);
	}
	return JSON.parse(JSON.stringify(body), (_key, value: unknown) =>
		typeof value === 'string' && urls.has(value) ? urls.get(value) : value,
	) as SeedanceRequestBody;
}
