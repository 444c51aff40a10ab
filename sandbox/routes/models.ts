import type { RouteContext } from '../context';
import { sendJson, sendValidationError } from '../http/respond';
import { catalogueRangeOf } from '../../nodes/Seedance/schemas/pricing';
import { publishedVariantRates, SEEDANCE_MODEL_IDS, SEEDANCE_MODELS } from '../models';

const MODALITIES = ['image', 'video', 'music'];

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
