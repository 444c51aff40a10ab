export const SEEDANCE_MODEL_IDS = [
	'seedance-1-lite',
	'seedance-1-pro',
	'seedance-1-pro-fast',
	'seedance-1.5-pro',
	'seedance-2',
	'seedance-2-fast',
	'seedance-2-mini',
	'seedance-2.5',
] as const;

export type SeedanceModelId = (typeof SEEDANCE_MODEL_IDS)[number];

export type DurationRule = { kind: 'range'; min: number; max: number } | { kind: 'enum'; values: number[] };

export interface SeedanceModelSpec {
	id: SeedanceModelId;
	label: string;
	/** Credits per second of output (sandbox pricing, not Apiframe's). */
	creditsPerSecond: number;
	duration: DurationRule;
	resolutions: string[];
	aspectRatios: string[];
	/** Seedance 2.x parameter set: reference_* media, return_last_frame, web_search. */
	multimodal: boolean;
}

const V1_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '9:21'];
const V15_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16'];
const V2_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'];
const V1_DURATION: DurationRule = { kind: 'enum', values: [5, 10] };
const V2_DURATION: DurationRule = { kind: 'range', min: 4, max: 15 };
const HD = ['480p', '720p', '1080p'];
const SD = ['480p', '720p'];
const UHD = ['480p', '720p', '1080p', '4k'];

export const SEEDANCE_MODELS: Record<SeedanceModelId, SeedanceModelSpec> = {
	'seedance-1-lite': { id: 'seedance-1-lite', label: 'Seedance 1 Lite', creditsPerSecond: 5, duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1-pro': { id: 'seedance-1-pro', label: 'Seedance 1 Pro', creditsPerSecond: 5, duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1-pro-fast': { id: 'seedance-1-pro-fast', label: 'Seedance 1 Pro Fast', creditsPerSecond: 5, duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1.5-pro': { id: 'seedance-1.5-pro', label: 'Seedance 1.5 Pro', creditsPerSecond: 5, duration: { kind: 'enum', values: [4, 8, 12] }, resolutions: HD, aspectRatios: V15_RATIOS, multimodal: false },
	'seedance-2': { id: 'seedance-2', label: 'Seedance 2.0', creditsPerSecond: 10, duration: V2_DURATION, resolutions: UHD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2-fast': { id: 'seedance-2-fast', label: 'Seedance 2.0 Fast', creditsPerSecond: 6, duration: V2_DURATION, resolutions: SD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2-mini': { id: 'seedance-2-mini', label: 'Seedance 2.0 Mini', creditsPerSecond: 4, duration: V2_DURATION, resolutions: SD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2.5': { id: 'seedance-2.5', label: 'Seedance 2.5', creditsPerSecond: 14, duration: V2_DURATION, resolutions: UHD, aspectRatios: V2_RATIOS, multimodal: true },
};

/** Billing is per second of output; an absent duration is billed as 5 s. */
export const DEFAULT_BILLED_DURATION = 5;

export function creditCost(model: SeedanceModelId, duration: number | undefined): number {
	return Math.ceil((duration ?? DEFAULT_BILLED_DURATION) * SEEDANCE_MODELS[model].creditsPerSecond);
}

export function durationBounds(rule: DurationRule): { min: number; max: number } {
	return rule.kind === 'range' ? { min: rule.min, max: rule.max } : { min: Math.min(...rule.values), max: Math.max(...rule.values) };
}
