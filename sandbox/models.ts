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

/**
 * The sandbox's own prices, in credits per second of output by resolution. Apiframe publishes no
 * rates; these follow the shapes resellers charge (480p : 720p : 1080p from 0.31 : 1 : 1.85 to
 * 0.5 : 1 : 2.5), so that estimates are held against rates that are not simply pixel counts.
 */
export interface SandboxPricing {
	perSecond: Record<string, number>;
	/** Multiplier when `generate_audio` is true: 1.5 Pro as ByteDance prices it (audio twice silent). */
	audioFactor: number;
	/** Whether the published `costMax` covers each variant: 2.5's 4k and 1.5 Pro's audio differ on purpose. */
	catalogueCovers: { resolutions: readonly string[]; audio: boolean };
}

export interface SeedanceModelSpec {
	id: SeedanceModelId;
	label: string;
	pricing: SandboxPricing;
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

function pricing(perSecond: Record<string, number>, audioFactor = 1, covers?: Partial<SandboxPricing['catalogueCovers']>): SandboxPricing {
	return { perSecond, audioFactor, catalogueCovers: { resolutions: covers?.resolutions ?? Object.keys(perSecond), audio: covers?.audio ?? true } };
}

export const SEEDANCE_MODELS: Record<SeedanceModelId, SeedanceModelSpec> = {
	'seedance-1-lite': { id: 'seedance-1-lite', label: 'Seedance 1 Lite', pricing: pricing({ '480p': 1.5, '720p': 3.5, '1080p': 8 }), duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1-pro': { id: 'seedance-1-pro', label: 'Seedance 1 Pro', pricing: pricing({ '480p': 2, '720p': 6.5, '1080p': 12 }), duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1-pro-fast': { id: 'seedance-1-pro-fast', label: 'Seedance 1 Pro Fast', pricing: pricing({ '480p': 1, '720p': 2, '1080p': 5 }), duration: V1_DURATION, resolutions: HD, aspectRatios: V1_RATIOS, multimodal: false },
	'seedance-1.5-pro': { id: 'seedance-1.5-pro', label: 'Seedance 1.5 Pro', pricing: pricing({ '480p': 2, '720p': 5, '1080p': 11 }, 2), duration: { kind: 'enum', values: [4, 8, 12] }, resolutions: HD, aspectRatios: V15_RATIOS, multimodal: false },
	'seedance-2': { id: 'seedance-2', label: 'Seedance 2.0', pricing: pricing({ '480p': 4, '720p': 10, '1080p': 22, '4k': 60 }), duration: V2_DURATION, resolutions: UHD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2-fast': { id: 'seedance-2-fast', label: 'Seedance 2.0 Fast', pricing: pricing({ '480p': 3, '720p': 7 }), duration: V2_DURATION, resolutions: SD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2-mini': { id: 'seedance-2-mini', label: 'Seedance 2.0 Mini', pricing: pricing({ '480p': 2, '720p': 4 }), duration: V2_DURATION, resolutions: SD, aspectRatios: V2_RATIOS, multimodal: true },
	'seedance-2.5': { id: 'seedance-2.5', label: 'Seedance 2.5', pricing: pricing({ '480p': 6, '720p': 14, '1080p': 30, '4k': 110 }, 1, { resolutions: HD }), duration: V2_DURATION, resolutions: UHD, aspectRatios: V2_RATIOS, multimodal: true },
};

/** Billing is per second of output; an absent duration is billed as 5 s, an absent resolution as 720p. */
export const DEFAULT_BILLED_DURATION = 5;
export const DEFAULT_BILLED_RESOLUTION = '720p';

export interface BilledJob {
	model: SeedanceModelId;
	seedanceParams?: { duration?: number; resolution?: string; generate_audio?: boolean };
}

export function creditCost(job: BilledJob): number {
	const { pricing } = SEEDANCE_MODELS[job.model];
	const params = job.seedanceParams ?? {};
	const rate = pricing.perSecond[params.resolution ?? DEFAULT_BILLED_RESOLUTION];
	const audio = params.generate_audio === true ? pricing.audioFactor : 1;
	return Math.ceil((params.duration ?? DEFAULT_BILLED_DURATION) * rate * audio);
}

/** The per-second rates `GET /v2/models` publishes the range of: the variants its catalogue covers. */
export function publishedVariantRates(spec: SeedanceModelSpec): number[] {
	const { perSecond, audioFactor, catalogueCovers } = spec.pricing;
	const silent = catalogueCovers.resolutions.map((resolution) => perSecond[resolution]);
	return catalogueCovers.audio && audioFactor !== 1 ? [...silent, ...silent.map((rate) => rate * audioFactor)] : silent;
}

export function durationBounds(rule: DurationRule): { min: number; max: number } {
	return rule.kind === 'range' ? { min: rule.min, max: rule.max } : { min: Math.min(...rule.values), max: Math.max(...rule.values) };
}
