import { z } from 'zod';

import { JOB_EVENTS, type JobEvent } from './jobEvents';
import { isHttpUrl, isMediaUrl } from './mediaUrl';
import { describeDurations, PROMPT_MAX_LENGTH, type ReferenceLimits, type SeedanceModelSpec } from '../models/models';

const MEDIA_URL_FIX =
	'use a public http(s) URL, an asset://<id>, or the name of a binary field of the input item';

function mediaUrl() {
	return z.string().refine(isMediaUrl, { message: `is not a valid URL: ${MEDIA_URL_FIX}` });
}

function mediaList(max: number, noun: string) {
	return z
		.array(mediaUrl())
		.max(max, { message: `has too many ${noun}: Seedance takes at most ${max}` });
}

function oneOf(values: string[], message: string) {
	return z.enum(values as [string, ...string[]], { errorMap: () => ({ message }) });
}

function durationSchema(model: SeedanceModelSpec) {
	const message = `must be ${describeDurations(model)} seconds for ${model.label}`;
	const base = z.number({ invalid_type_error: message }).int({ message });
	if ('values' in model.durations) {
		const allowed = model.durations.values;
		return base.refine((value) => allowed.includes(value), { message });
	}
	return base.min(model.durations.min, { message }).max(model.durations.max, { message });
}

function paramsSchema(model: SeedanceModelSpec) {
	const common = {
		duration: durationSchema(model),
		resolution: oneOf(
			model.resolutions,
			`is not available for ${model.label}: choose ${model.resolutions.join(', ')}`,
		),
		aspect_ratio: oneOf(
			model.aspectRatios,
			`is not available for ${model.label}: choose ${model.aspectRatios.join(', ')}`,
		),
		start_image: mediaUrl(),
		end_image: mediaUrl(),
		generate_audio: z.boolean(),
		camera_fixed: z.boolean(),
		seed: z.number({ invalid_type_error: 'must be a whole number' }).int({
			message: 'must be a whole number',
		}),
	};
	const limits: ReferenceLimits | null = model.references;
	const shape = {
		...common,
		...(limits
			? {
					reference_image_urls: mediaList(limits.image, 'images'),
					reference_video_urls: mediaList(limits.video, 'videos'),
					reference_audio_urls: mediaList(limits.audio, 'audio files'),
				}
			: {}),
		...(model.generation === 2 ? { return_last_frame: z.boolean(), web_search: z.boolean() } : {}),
	};
	return z
		.object(shape)
		.partial()
		.strict()
		.superRefine((params: Record<string, unknown>, ctx) => {
			const count = (key: string) => (Array.isArray(params[key]) ? (params[key] as []).length : 0);
			const images = count('reference_image_urls');
			const videos = count('reference_video_urls');
			const audios = count('reference_audio_urls');
			if (params.end_image !== undefined && params.start_image === undefined) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['end_image'],
					message: 'needs a First Frame: set the first frame too, or leave the last frame empty',
				});
			}
			if ((params.start_image !== undefined || params.end_image !== undefined) && images + videos + audios > 0) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['start_image'],
					message:
						'cannot be combined with reference media: Seedance uses either first/last frames or references, so choose one input mode',
				});
			}
			if (audios > 0 && images + videos === 0) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['reference_audio_urls'],
					message: 'need at least one reference image or video beside them: add one, or remove the audio',
				});
			}
			if (limits && images + videos + audios > limits.total) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['reference_image_urls'],
					message: `together with the reference videos and audio make ${images + videos + audios} files: Seedance takes at most ${limits.total} in all`,
				});
			}
		});
}

function requestSchema(model: SeedanceModelSpec) {
	return z
		.object({
			model: z.literal(model.id),
			prompt: z
				.string()
				.refine((prompt) => prompt.trim().length > 0, {
					message: 'is empty: write what the video should show',
				})
				.refine((prompt) => prompt.length <= PROMPT_MAX_LENGTH, {
					message: `is longer than ${PROMPT_MAX_LENGTH} characters: shorten it`,
				}),
			seedanceParams: paramsSchema(model).optional(),
			webhookUrl: z
				.string()
				.refine(isHttpUrl, { message: 'is not a valid http(s) URL: paste the production URL of a Seedance Trigger' })
				.optional(),
			webhookEvents: z
				.array(z.enum(JOB_EVENTS))
				.min(1, { message: 'is empty: choose at least one event' })
				.optional(),
		})
		.strict();
}

const schemas = new WeakMap<SeedanceModelSpec, ReturnType<typeof requestSchema>>();

/** The request schema of a model of the table, built from its row the first time it is needed. */
export function requestSchemaOf(model: SeedanceModelSpec): ReturnType<typeof requestSchema> {
	let schema = schemas.get(model);
	if (!schema) {
		schema = requestSchema(model);
		schemas.set(model, schema);
	}
	return schema;
}

export interface SeedanceRequestBody {
	model: string;
	prompt: string;
	seedanceParams?: Record<string, unknown>;
	webhookUrl?: string;
	webhookEvents?: JobEvent[];
}
