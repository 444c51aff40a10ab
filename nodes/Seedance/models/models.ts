/**
 * What each Seedance model on Apiframe accepts, as the OpenAPI description states it: the one place
 * a model's durations, resolutions, aspect ratios, reference limits and names are written. The
 * request schemas (schemas/seedanceRequest.ts), the Video fields' options and hints
 * (models/fieldHints.ts) and the error messages are derived from this table, so adding a model is
 * adding a row.
 */
export interface SeedanceModelSpec {
	id: string;
	label: string;
	/** What a hint calls the model's family when every member shares a fact ("Seedance 2.x"). */
	family: string;
	/** Either a closed list of durations or an integer range. */
	durations: { values: number[] } | { min: number; max: number };
	resolutions: string[];
	aspectRatios: string[];
	/** The reference media the model takes; null: none (no Reference to Video or Edit with References). */
	references: ReferenceLimits | null;
	/** Seedance 2.x: returning the last frame and web search; the pricing reading of audio. */
	generation: 2 | 1;
}

/** How many reference files a model takes (per kind, and all together), and how long the clips may be. */
export interface ReferenceLimits {
	image: number;
	video: number;
	audio: number;
	total: number;
	/** Seconds of each reference clip, and of all together. */
	videoSeconds: { min: number; max: number; total: number };
}

const TWO_X_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'];
const ONE_X_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '9:21'];

/** The references every Seedance 2.x model takes. */
const TWO_X_REFERENCES: ReferenceLimits = { image: 9, video: 3, audio: 3, total: 12, videoSeconds: { min: 2, max: 15, total: 15 } };

export const SEEDANCE_MODELS: SeedanceModelSpec[] = [
	{
		id: 'seedance-2',
		label: 'Seedance 2.0',
		family: 'Seedance 2.x',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p', '1080p', '4k'],
		aspectRatios: TWO_X_RATIOS,
		references: TWO_X_REFERENCES,
		generation: 2,
	},
	{
		id: 'seedance-2-fast',
		label: 'Seedance 2.0 Fast',
		family: 'Seedance 2.x',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p'],
		aspectRatios: TWO_X_RATIOS,
		references: TWO_X_REFERENCES,
		generation: 2,
	},
	{
		id: 'seedance-2-mini',
		label: 'Seedance 2.0 Mini',
		family: 'Seedance 2.x',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p'],
		aspectRatios: TWO_X_RATIOS,
		references: TWO_X_REFERENCES,
		generation: 2,
	},
	{
		id: 'seedance-2.5',
		label: 'Seedance 2.5',
		family: 'Seedance 2.x',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p', '1080p', '4k'],
		aspectRatios: TWO_X_RATIOS,
		references: TWO_X_REFERENCES,
		generation: 2,
	},
	{
		id: 'seedance-1.5-pro',
		label: 'Seedance 1.5 Pro',
		family: 'Seedance 1.5 Pro',
		durations: { values: [4, 8, 12] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS.filter((ratio) => ratio !== '9:21'),
		references: null,
		generation: 1,
	},
	{
		id: 'seedance-1-pro',
		label: 'Seedance 1.0 Pro',
		family: 'Seedance 1.0',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		references: null,
		generation: 1,
	},
	{
		id: 'seedance-1-pro-fast',
		label: 'Seedance 1.0 Pro Fast',
		family: 'Seedance 1.0',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		references: null,
		generation: 1,
	},
	{
		id: 'seedance-1-lite',
		label: 'Seedance 1.0 Lite',
		family: 'Seedance 1.0',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		references: null,
		generation: 1,
	},
];

export const DEFAULT_MODEL = 'seedance-2';

export const PROMPT_MAX_LENGTH = 4000;

export function findModel(id: string): SeedanceModelSpec | undefined {
	return SEEDANCE_MODELS.find((model) => model.id === id);
}

export function describeDurations(model: SeedanceModelSpec): string {
	return 'values' in model.durations
		? model.durations.values.join(', ')
		: `a whole number from ${model.durations.min} to ${model.durations.max}`;
}

/** The most references of each kind any model takes: what the reference lists and the estimates allow for. */
export function widestReferenceLimits(models: readonly SeedanceModelSpec[] = SEEDANCE_MODELS): ReferenceLimits | null {
	const limits = models.flatMap((model) => (model.references ? [model.references] : []));
	if (limits.length === 0) return null;
	const most = (pick: (limit: ReferenceLimits) => number) => Math.max(...limits.map(pick));
	return {
		image: most((limit) => limit.image),
		video: most((limit) => limit.video),
		audio: most((limit) => limit.audio),
		total: most((limit) => limit.total),
		videoSeconds: {
			min: Math.min(...limits.map((limit) => limit.videoSeconds.min)),
			max: most((limit) => limit.videoSeconds.max),
			total: most((limit) => limit.videoSeconds.total),
		},
	};
}
