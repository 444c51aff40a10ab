import type { GenerateVideoRequest, SeedanceParams } from './generate-request';
import { addDetail, type ValidationDetails } from './details';
import { assetIdOf } from './media-uri';

/** Upstream Seedance allows at most 12 media files per request. */
export const MAX_REFERENCE_FILES = 12;

const MEDIA_FIELDS = ['start_image', 'end_image'] as const;
const REFERENCE_FIELDS = ['reference_image_urls', 'reference_video_urls', 'reference_audio_urls'] as const;

function count(params: SeedanceParams, field: (typeof REFERENCE_FIELDS)[number]): number {
	return params[field]?.length ?? 0;
}

/**
 * Rules that the OpenAPI file cannot express but upstream Seedance is reported to enforce;
 * the sandbox applies the strict reading so clients are tested against it.
 */
export function upstreamRuleDetails(body: GenerateVideoRequest, isKnownAsset: (assetId: string) => boolean): ValidationDetails {
	const details: ValidationDetails = {};
	const params = body.seedanceParams ?? {};
	const images = count(params, 'reference_image_urls');
	const videos = count(params, 'reference_video_urls');
	const audios = count(params, 'reference_audio_urls');

	if (audios > 0 && images + videos === 0) {
		addDetail(details, 'seedanceParams.reference_audio_urls', 'reference_audio_urls requires at least one reference image or reference video');
	}
	if (images + videos + audios > 0) {
		for (const field of MEDIA_FIELDS) {
			if (params[field] !== undefined) {
				addDetail(details, `seedanceParams.${field}`, `${field} cannot be combined with reference_image_urls, reference_video_urls or reference_audio_urls (first/last-frame and reference modes are exclusive)`);
			}
		}
	}
	if (images + videos + audios > MAX_REFERENCE_FILES) {
		addDetail(details, 'seedanceParams', `At most ${MAX_REFERENCE_FILES} reference files in total`);
	}

	const checkAsset = (path: string, value: string | undefined) => {
		const assetId = value === undefined ? null : assetIdOf(value);
		if (assetId !== null && !isKnownAsset(assetId)) addDetail(details, path, `Unknown asset '${assetId}': register it with POST /v2/assets/create`);
	};
	for (const field of MEDIA_FIELDS) checkAsset(`seedanceParams.${field}`, params[field]);
	for (const field of REFERENCE_FIELDS) params[field]?.forEach((url, i) => checkAsset(`seedanceParams.${field}.${i}`, url));
	return details;
}
