import { z } from 'zod';
import { SEEDANCE_MODEL_IDS, SEEDANCE_MODELS, type DurationRule, type SeedanceModelId, type SeedanceModelSpec } from '../models';
import { isHttpUrl, isMediaUri } from './media-uri';

export const WEBHOOK_EVENTS = ['progress', 'completed', 'failed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface SeedanceParams {
	aspect_ratio?: string;
	camera_fixed?: boolean;
	duration?: number;
	end_image?: string;
	generate_audio?: boolean;
	resolution?: string;
	seed?: number;
	start_image?: string;
	reference_audio_urls?: string[];
	reference_image_urls?: string[];
	reference_video_urls?: string[];
	return_last_frame?: boolean;
	web_search?: boolean;
}

export interface GenerateVideoRequest {
	model: SeedanceModelId;
	prompt: string;
	seedanceParams?: SeedanceParams;
	webhookUrl?: string;
	webhookEvents?: WebhookEvent[];
}

const mediaUri = z.string().refine(isMediaUri, { message: 'Invalid url: expected an http(s) URL or asset://<assetId>' });
const httpUri = z.string().refine(isHttpUrl, { message: 'Invalid url' });

function enumOf(values: string[]) {
	return z.enum(values as [string, ...string[]]);
}

function durationSchema(rule: DurationRule) {
	if (rule.kind === 'range') return z.number().int().min(rule.min).max(rule.max);
	return z.number().refine((v) => rule.values.includes(v), { message: `Invalid duration: expected one of ${rule.values.join(', ')}` });
}

function paramsSchema(spec: SeedanceModelSpec) {
	const base = {
		aspect_ratio: enumOf(spec.aspectRatios),
		camera_fixed: z.boolean(),
		duration: durationSchema(spec.duration),
		end_image: mediaUri,
		generate_audio: z.boolean(),
		resolution: enumOf(spec.resolutions),
		seed: z.number().int(),
		start_image: mediaUri,
	};
	if (!spec.multimodal) return z.object(base).partial().strict();
	return z
		.object({
			...base,
			reference_audio_urls: z.array(mediaUri).max(3),
			reference_image_urls: z.array(mediaUri).max(9),
			reference_video_urls: z.array(mediaUri).max(3),
			return_last_frame: z.boolean(),
			web_search: z.boolean(),
		})
		.partial()
		.strict();
}

function modelRequestSchema(spec: SeedanceModelSpec) {
	return z
		.object({
			model: z.literal(spec.id),
			prompt: z.string().min(1).max(4000),
			seedanceParams: paramsSchema(spec).optional(),
			webhookUrl: httpUri.optional(),
			webhookEvents: z.array(z.enum(WEBHOOK_EVENTS)).min(1).optional(),
		})
		.strict();
}

export type ModelRequestSchema = ReturnType<typeof modelRequestSchema>;

/** One strict schema per model, mirroring the oneOf branches of GenerateVideoRequest. */
export const GENERATE_REQUEST_SCHEMAS = Object.fromEntries(
	SEEDANCE_MODEL_IDS.map((id) => [id, modelRequestSchema(SEEDANCE_MODELS[id])]),
) as Record<SeedanceModelId, ModelRequestSchema>;

const options = SEEDANCE_MODEL_IDS.map((id) => GENERATE_REQUEST_SCHEMAS[id]);

export const generateRequestSchema = z.discriminatedUnion(
	'model',
	options as unknown as [ModelRequestSchema, ModelRequestSchema, ...ModelRequestSchema[]],
);
