import type { INodeProperties } from 'n8n-workflow';

import { binaryPropertyOption, lastFrameBinaryPropertyOption } from '../../../media/binaryProperties';
import { downloadDeadlineOption, maxDownloadSizeOption } from '../../../media/downloadLimits';

import {
	aspectRatioOptions,
	availability,
	durationBounds,
	durationHint,
	modelNames,
	resolutionOptions,
} from '../../../models/fieldHints';
import {
	DEFAULT_MODEL,
	PROMPT_MAX_LENGTH,
	SEEDANCE_MODELS,
	widestReferenceLimits,
	type SeedanceModelSpec,
} from '../../../models/models';
import { NO_ROLE, referenceName, roleOptions, type ReferenceKind } from '../../../request/referenceRoles';
import { JOB_END_EVENTS, JOB_EVENT_OPTIONS } from '../../../schemas/jobEvents';
import {
	concurrencyOption,
	downloadVideoField,
	pollIntervalOption,
	timeoutOption,
	waitForCompletionField,
} from '../common.descriptions';

const MEDIA_HINT =
	'a public URL, an asset://ID, or the name of a binary field of the input item (uploaded to Apiframe for you)';

function roleField(kind: ReferenceKind): INodeProperties {
	return {
		displayName: 'Role',
		name: 'role',
		type: 'options',
		options: roleOptions(kind),
		default: NO_ROLE,
		description: `What this ${kind} is for: a role adds one sentence naming it (e.g. "${referenceName(kind, 2)}") to the end of the prompt. An expression may give the value or the name.`,
	};
}

function urlList(
	name: string,
	displayName: string,
	entryName: string,
	limit: number,
	description: string,
	extraValues: INodeProperties[],
): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: `Add ${entryName}`,
		default: {},
		description: `${description} Up to ${limit}. Each entry is ${MEDIA_HINT}; an expression may also give a list, or several URLs on separate lines.`,
		displayOptions: { show: { inputMode: ['reference', 'edit'] } },
		options: [
			{
				displayName: entryName,
				name: 'entries',
				values: [
					{
						displayName: 'URL or Binary Field',
						name: 'url',
						type: 'string',
						default: '',
						description: `The file: ${MEDIA_HINT}`,
						placeholder: 'https://example.com/file, asset://ID or data',
					},
					...extraValues,
				],
			},
		],
	};
}

/** " (Seedance 2.x)" after a feature only some models have; nothing when all have it. */
function onlyOn(models: readonly SeedanceModelSpec[], has: (model: SeedanceModelSpec) => boolean): string {
	const limitedTo = availability(models, has);
	return limitedTo ? ` (${limitedTo})` : '';
}

/** What the Model field says the models differ in. */
function describeModels(models: readonly SeedanceModelSpec[]): string {
	const withReferences = modelNames(models, (model) => model.references !== null);
	const secondGeneration = modelNames(models, (model) => model.generation === 2);
	const features =
		withReferences === secondGeneration
			? `${withReferences} models take reference media, return the last frame and can search the web`
			: `${withReferences} models take reference media, and ${secondGeneration} models return the last frame and can search the web`;
	return `${features}; durations, resolutions and aspect ratios differ by model (see each setting)`;
}

/**
 * The fields that describe one video, for Generate and Estimate. Every option list, bound and hint
 * about the models comes from the model table, so a model added there appears here as it is.
 */
export function generateFieldsFor(models: readonly SeedanceModelSpec[]): INodeProperties[] {
	const takesReferences = (model: SeedanceModelSpec) => model.references !== null;
	const secondGeneration = (model: SeedanceModelSpec) => model.generation === 2;
	const references = widestReferenceLimits(models);
	const clipSeconds = references?.videoSeconds;
	const durations = durationBounds(models);
	return [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: models.map((model) => ({ name: model.label, value: model.id })),
		default: DEFAULT_MODEL,
		description: describeModels(models),
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'A red fox runs through fresh snow at dawn, slow tracking shot',
		description: `What the video shows, including camera movement and sound (1 to ${PROMPT_MAX_LENGTH} characters, counting the sentences the references' roles add)`,
	},
	{
		displayName: 'Input Mode',
		name: 'inputMode',
		type: 'options',
		options: [
			{
				name: 'Edit with References',
				value: 'edit',
				description: 'Change a clip (replace an element, change an action) following the prompt',
			},
			{
				name: 'Extend a Clip',
				value: 'extend',
				description: "Continue a previous clip: its last frame becomes this clip's first frame",
			},
			{
				name: 'Image to Video',
				value: 'image',
				description: 'Animate a first frame image, optionally towards a last frame image',
			},
			{
				name: 'Reference to Video',
				value: 'reference',
				description: 'Guide style, motion and sound with reference images, videos and audio',
			},
			{
				name: 'Text to Video',
				value: 'text',
				description: 'Only the prompt',
			},
		],
		default: 'text',
		// The options stay literal so that n8n's linter can read them (it skips computed ones).
		description: `What the video starts from. Seedance takes either first and last frames or reference media in one job, never both: Extend a Clip uses the previous clip's last frame as first frame, Edit with References uses the clip to edit as a reference video. Reference to Video and Edit with References need a model that takes references${onlyOn(models, takesReferences)}.`,
	},
	{
		displayName: 'First Frame',
		name: 'firstFrame',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/first-frame.png',
		description: `The image the video starts from: ${MEDIA_HINT}`,
		displayOptions: { show: { inputMode: ['image'] } },
	},
	{
		displayName: 'Last Frame',
		name: 'lastFrame',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/last-frame.png',
		description: `Optional: the image the video ends on: ${MEDIA_HINT}`,
		displayOptions: { show: { inputMode: ['image'] } },
	},
	{
		displayName: 'Continue From',
		name: 'continueFrom',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.jobId }}',
		description:
			"The job ID of the clip to continue (it must have been made with Return Last Frame, which Extend a Clip turns on for its own clips), or that clip's last frame image as a URL or binary field",
		displayOptions: { show: { inputMode: ['extend'] } },
	},
	urlList('referenceImages', 'Reference Images', 'Image', references?.image ?? 0, 'Images that guide characters, objects and style.', [
		roleField('image'),
	]),
	urlList(
		'referenceVideos',
		'Reference Videos',
		'Video',
		references?.video ?? 0,
		`Clips (${clipSeconds?.min} to ${clipSeconds?.max} seconds each, ${clipSeconds?.total} seconds in all) that guide motion and camera work, or the clip to edit.`,
		[
			{
				displayName: 'Length (Seconds)',
				name: 'durationSeconds',
				type: 'number',
				default: 0,
				description: "The clip's length, if known: it is checked against Seedance's limits before anything is billed. 0 means unknown.",
			},
			roleField('video'),
		],
	),
	urlList(
		'referenceAudios',
		'Reference Audios',
		'Audio',
		references?.audio ?? 0,
		'Audio that guides sound and rhythm; needs at least one reference image or video beside it.',
		[roleField('audio')],
	),
	{
		displayName: 'Video Settings',
		name: 'videoSettings',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description: 'Only the settings added here are sent; Apiframe uses its defaults for the rest',
		options: [
			{
				displayName: 'Aspect Ratio',
				name: 'aspectRatio',
				type: 'options',
				description:
					'Width to height of the video. Adaptive follows the first frame or references. A ratio that only some models take names them.',
				options: aspectRatioOptions(models),
				default: '16:9',
			},
			{
				displayName: 'Camera Fixed',
				name: 'cameraFixed',
				type: 'boolean',
				default: false,
				description: 'Whether to keep the camera still',
			},
			{
				displayName: 'Duration (Seconds)',
				name: 'duration',
				type: 'number',
				typeOptions: { minValue: durations.min, maxValue: durations.max },
				default: 5,
				description: `Billed per second. ${durationHint(models)}.`,
			},
			{
				displayName: 'Generate Audio',
				name: 'generateAudio',
				type: 'boolean',
				default: true,
				description: 'Whether the video gets synchronized native audio (music, effects, speech)',
			},
			{
				displayName: 'Resolution',
				name: 'resolution',
				type: 'options',
				description: 'Higher resolutions cost more. A resolution that only some models take names them.',
				options: resolutionOptions(models),
				default: '720p',
			},
			{
				displayName: 'Return Last Frame',
				name: 'returnLastFrame',
				type: 'boolean',
				default: false,
				description:
					`Whether Apiframe also returns the last frame as an image${onlyOn(models, secondGeneration)}, for example to continue the shot in a next clip`,
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: 0,
				description: 'A whole number; the same seed and settings give a similar video again',
			},
			{
				displayName: 'Web Search',
				name: 'webSearch',
				type: 'boolean',
				default: false,
				description: `Whether the model may look up the web for what the prompt mentions${onlyOn(models, secondGeneration)}`,
			},
		],
	},
];
}

export const generateFields = generateFieldsFor(SEEDANCE_MODELS);

/** How Generate runs: waiting, downloading, and the Options that apply to the whole run or to each item. */
export const generateRunFields: INodeProperties[] = [
	waitForCompletionField,
	{
		displayName: 'Wait Method',
		name: 'waitMethod',
		type: 'options',
		options: [
			{
				name: 'Poll Apiframe',
				value: 'poll',
				description: 'Keep the execution running and ask Apiframe about all jobs every poll interval',
			},
			{
				name: 'Sleep Until Apiframe Calls Back',
				value: 'callback',
				description:
					"Put the execution to sleep, holding no worker, until Apiframe calls n8n back when the last job is done. Apiframe must be able to reach n8n (set WEBHOOK_URL).",
			},
		],
		default: 'poll',
		description: 'How the node learns that the jobs are done',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{ ...downloadVideoField, displayOptions: { show: { waitForCompletion: [true] } } },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{ ...binaryPropertyOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{
				displayName: 'Check Balance Before Submitting',
				name: 'checkBalance',
				type: 'boolean',
				default: true,
				description:
					"Whether to read the team's balance before the first submit and refuse the whole run, sending nothing, when it cannot cover the run's upper estimate. Off: Apiframe decides job by job, and a job it cannot cover fails with 402 after earlier ones were billed.",
			},
			concurrencyOption,
			{ ...downloadDeadlineOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Sent as the Idempotency-Key header: Apiframe answers a repeated key (within 24 hours) with the original job instead of billing a new one. Empty: a key unique to this execution and item, so retries never bill twice. Set it, for example to an expression giving the ID of the spreadsheet row, to make re-runs of the same row safe too.',
			},
			{ ...lastFrameBinaryPropertyOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{
				displayName: 'Max Credits for This Run',
				name: 'maxCredits',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description:
					"Refuse the whole run, sending nothing, when its upper estimate (from Apiframe's catalogue, as Video → Estimate gives it) is over this many credits, or when an item cannot be estimated",
			},
			{ ...maxDownloadSizeOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{
				displayName: 'Notify Events',
				name: 'notifyEvents',
				type: 'multiOptions',
				options: JOB_EVENT_OPTIONS.map(({ name, value }) => ({ name, value })),
				default: [...JOB_END_EVENTS],
				description: 'Which job events Apiframe sends to the Notify Webhook URL',
			},
			{
				displayName: 'Notify Webhook URL',
				name: 'notifyWebhookUrl',
				type: 'string',
				default: '',
				placeholder: 'https://your-n8n.example.com/webhook/seedance',
				description:
					"Apiframe POSTs signed job events to this URL. Paste the production URL of a Seedance Trigger node to start a workflow when each clip is done. Apiframe must be able to reach it, so localhost URLs do not work.",
			},
			{ ...pollIntervalOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{ ...timeoutOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
		],
	},
];
