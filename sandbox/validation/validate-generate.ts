import { generateRequestSchema, type GenerateVideoRequest } from './generate-request';
import { zodIssuesToDetails, type ValidationDetails } from './details';
import { upstreamRuleDetails } from './upstream-rules';

export type GenerateValidation = { ok: true; value: GenerateVideoRequest } | { ok: false; details: ValidationDetails };

/** Schema first; the cross-field upstream rules only run on a structurally valid body. */
export function validateGenerateRequest(body: unknown, isKnownAsset: (assetId: string) => boolean = () => true): GenerateValidation {
	const parsed = generateRequestSchema.safeParse(body);
	if (!parsed.success) return { ok: false, details: zodIssuesToDetails(parsed.error.issues) };
	const value = parsed.data as GenerateVideoRequest;
	const details = upstreamRuleDetails(value, isKnownAsset);
	return Object.keys(details).length > 0 ? { ok: false, details } : { ok: true, value };
}
