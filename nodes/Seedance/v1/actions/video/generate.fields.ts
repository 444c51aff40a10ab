import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL, PROMPT_MAX_LENGTH, REFERENCE_LIMITS, SEEDANCE_MODELS } from '../../../models/models';
import { NO_ROLE, referenceName, roleOptions, type ReferenceKind } from '../../../request/referenceRoles';

const ALL_RESOLUTIONS = ['480p', '720p', '1080p', '4k'];
const ALL_ASPECT_RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '9:21', 'adaptive'];

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

export const generateFields: INodeProperties[] = [
	{
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: SEEDANCE_MODELS.map((model) => ({ name: model.label, value: model.id })),
		default: DEFAULT_MODEL,
		description:
			'Seedance 2.x models take reference media, return the last frame and can search the web; the 1.x models have their own durations and aspect ratios',
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
				description: 'Change a clip (replace an element, change an action) following the prompt (Seedance 2.x)',
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
				description: 'Guide style, motion and sound with reference images, videos and audio (Seedance 2.x)',
			},
			{
				name: 'Text to Video',
				value: 'text',
				description: 'Only the prompt',
			},
		],
		default: 'text',
		description:
			'What the video starts from. Seedance takes either first and last frames or reference media in one job, never both: Extend a Clip uses the previous clip\'s last frame as first frame, Edit with References uses the clip to edit as a reference video.',
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
	urlList('referenceImages', 'Reference Images', 'Image', REFERENCE_LIMITS.image, 'Images that guide characters, objects and style.', [
		roleField('image'),
	]),
	urlList(
		'referenceVideos',
		'Reference Videos',
		'Video',
		REFERENCE_LIMITS.video,
		'Clips (2 to 15 seconds each, 15 seconds in all) that guide motion and camera work, or the clip to edit.',
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
		REFERENCE_LIMITS.audio,
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
					'Width to height of the video. Adaptive (Seedance 2.x) follows the first frame or references; 9:21 is for Seedance 1.0 only.',
				options: ALL_ASPECT_RATIOS.map((ratio) => ({
					name: ratio === 'adaptive' ? 'Adaptive (Seedance 2.x)' : ratio === '9:21' ? '9:21 (Seedance 1.0)' : ratio,
					value: ratio,
				})),
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
				typeOptions: { minValue: 4, maxValue: 15 },
				default: 5,
				description:
					'Seedance 2.x: 4 to 15 seconds. Seedance 1.5 Pro: 4, 8 or 12. Seedance 1.0: 5 or 10. Billed per second.',
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
				description:
					'Seedance 2.0 Fast and Mini go up to 720p; 4K is for Seedance 2.0 and 2.5. Higher resolutions cost more.',
				options: ALL_RESOLUTIONS.map((resolution) => ({
					name: resolution === '4k' ? '4K (Seedance 2.0 and 2.5)' : resolution === '1080p' ? '1080p (not 2.0 Fast or Mini)' : resolution,
					value: resolution,
				})),
				default: '720p',
			},
			{
				displayName: 'Return Last Frame',
				name: 'returnLastFrame',
				type: 'boolean',
				default: false,
				description:
					'Whether Apiframe also returns the last frame as an image (Seedance 2.x), for example to continue the shot in a next clip',
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
				description: 'Whether the model may look up the web for what the prompt mentions (Seedance 2.x)',
			},
		],
	},
];
