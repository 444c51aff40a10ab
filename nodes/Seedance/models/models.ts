/**
 * What each Seedance model on Apiframe accepts, as the OpenAPI description states it.
 * The zod schemas, the UI option lists and the error messages are all derived from this table,
 * so a model's limits are written down once.
 */
export interface SeedanceModelSpec {
	id: string;
	label: string;
	/** Either a closed list of durations or an integer range. */
	durations: { values: number[] } | { min: number; max: number };
	resolutions: string[];
	aspectRatios: string[];
	/** Seedance 2.x: reference media, returning the last frame and web search. */
	generation: 2 | 1;
}

const TWO_X_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', 'adaptive'];
const ONE_X_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '9:21'];

export const SEEDANCE_MODELS: SeedanceModelSpec[] = [
	{
		id: 'seedance-2',
		label: 'Seedance 2.0',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p', '1080p', '4k'],
		aspectRatios: TWO_X_RATIOS,
		generation: 2,
	},
	{
		id: 'seedance-2-fast',
		label: 'Seedance 2.0 Fast',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p'],
		aspectRatios: TWO_X_RATIOS,
		generation: 2,
	},
	{
		id: 'seedance-2-mini',
		label: 'Seedance 2.0 Mini',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p'],
		aspectRatios: TWO_X_RATIOS,
		generation: 2,
	},
	{
		id: 'seedance-2.5',
		label: 'Seedance 2.5',
		durations: { min: 4, max: 15 },
		resolutions: ['480p', '720p', '1080p', '4k'],
		aspectRatios: TWO_X_RATIOS,
		generation: 2,
	},
	{
		id: 'seedance-1.5-pro',
		label: 'Seedance 1.5 Pro',
		durations: { values: [4, 8, 12] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS.filter((ratio) => ratio !== '9:21'),
		generation: 1,
	},
	{
		id: 'seedance-1-pro',
		label: 'Seedance 1.0 Pro',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		generation: 1,
	},
	{
		id: 'seedance-1-pro-fast',
		label: 'Seedance 1.0 Pro Fast',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		generation: 1,
	},
	{
		id: 'seedance-1-lite',
		label: 'Seedance 1.0 Lite',
		durations: { values: [5, 10] },
		resolutions: ['480p', '720p', '1080p'],
		aspectRatios: ONE_X_RATIOS,
		generation: 1,
	},
];

export const DEFAULT_MODEL = 'seedance-2';

/** Reference limits of Seedance 2.x (per kind, and all files together). */
export const REFERENCE_LIMITS = { image: 9, video: 3, audio: 3, total: 12 } as const;

/** Seedance takes reference clips of 2 to 15 seconds each, 15 seconds in all. */
export const REFERENCE_VIDEO_SECONDS = { min: 2, max: 15, total: 15 } as const;

export const PROMPT_MAX_LENGTH = 4000;

export function findModel(id: string): SeedanceModelSpec | undefined {
	return SEEDANCE_MODELS.find((model) => model.id === id);
}

export function describeDurations(model: SeedanceModelSpec): string {
	return 'values' in model.durations
		? model.durations.values.join(', ')
		: `a whole number from ${model.durations.min} to ${model.durations.max}`;
}
