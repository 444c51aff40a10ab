import type { RouteContext } from '../context';
import { sendJson, sendValidationError } from '../http/respond';
import { publishedVariantRates, SEEDANCE_MODEL_IDS, SEEDANCE_MODELS } from '../models';

const MODALITIES = ['image', 'video', 'music'];

/**
 * How Apiframe's catalogue publishes a model's variants: the cheapest and dearest per-second rate.
 * Kept here, apart from the node's reading of it, so the stand-in does not borrow the code it tests.
 */
function catalogueRangeOf(variantRates: readonly number[]): { costMin: number; costMax: number; pricingMode: 'per-second' } {
	return { costMin: Math.min(...variantRates), costMax: Math.max(...variantRates), pricingMode: 'per-second' };
}

export function catalogueEntries(): Array<Record<string, unknown>> {
	return SEEDANCE_MODEL_IDS.map((id) => {
		const spec = SEEDANCE_MODELS[id];
		return {
			id,
			label: spec.label,
			description: `ByteDance ${spec.label} video generation (sandbox)`,
			modality: 'video',
			...catalogueRangeOf(publishedVariantRates(spec)),
		};
	});
}

/** GET /v2/models: public, only the Seedance family exists here. */
export function listModels(rc: RouteContext): void {
	const modality = rc.url.searchParams.get('modality');
	if (modality !== null && !MODALITIES.includes(modality)) {
		return sendValidationError(rc.res, { modality: [`Invalid enum value. Expected 'image' | 'video' | 'music', received '${modality}'`] });
	}
	const models = modality === null || modality === 'video' ? catalogueEntries() : [];
	sendJson(rc.res, 200, { models });
}
