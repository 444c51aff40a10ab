import type { IDataObject } from 'n8n-workflow';

import type { NodeParameters } from '../base/nodeParameters';
import type { ReferenceKind } from './referenceRoles';

export type InputMode = 'text' | 'image' | 'reference' | 'extend' | 'edit';

/**
 * One item's Generate (and Estimate) parameters as plain values, before any check or mapping: what
 * the node reads, what request/mediaSources.ts resolves (binary fields, Continue From) and what
 * buildRequest.ts maps and validates.
 */
export interface GenerateParams {
	model: string;
	prompt: string;
	inputMode: InputMode;
	firstFrame?: string;
	lastFrame?: string;
	/** Extend a Clip: the job ID or last frame image given, which becomes `firstFrame` before the request is built. */
	continueFrom?: string;
	referenceImages?: string[];
	referenceVideos?: string[];
	referenceAudios?: string[];
	/** Lengths the user gave for the reference videos, in the same order; undefined when not given. */
	referenceVideoDurations?: Array<number | undefined>;
	/** The Role each reference was given (an option value or name), in the order of its URL list. */
	referenceRoles?: Partial<Record<ReferenceKind, unknown[]>>;
	settings: {
		duration?: number;
		resolution?: string;
		aspectRatio?: string;
		generateAudio?: boolean;
		seed?: number;
		cameraFixed?: boolean;
		returnLastFrame?: boolean;
		webSearch?: boolean;
	};
	webhookUrl?: string;
	webhookEvents?: string[];
}

/** Splits URLs given as a list, or as one text with a URL per line or comma-separated URLs. */
export function expandUrls(values: unknown[]): string[] {
	return values.flatMap((value): string[] => {
		if (Array.isArray(value)) return expandUrls(value);
		if (value === undefined || value === null) return [];
		return String(value)
			.split(/\s*\n\s*|\s*,\s*(?=(?:https?|asset):\/\/)/i)
			.map((url) => url.trim())
			.filter((url) => url.length > 0);
	});
}

type UrlEntry = { url?: unknown; durationSeconds?: number; role?: unknown };

function readEntries(parameters: NodeParameters, name: string, itemIndex: number): UrlEntry[] {
	const collection = parameters.get<{ entries?: UrlEntry[] }>(name, itemIndex, {});
	return collection.entries ?? [];
}

/**
 * A reference list's URLs and, in the same order, each URL's Role: an entry that gives several
 * URLs gives each of them its role.
 */
function readReferenceList(entries: UrlEntry[]): { urls: string[]; roles: unknown[] } {
	const urls: string[] = [];
	const roles: unknown[] = [];
	for (const entry of entries) {
		for (const url of expandUrls([entry.url])) {
			urls.push(url);
			roles.push(entry.role);
		}
	}
	return { urls, roles };
}

function optionalString(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	return String(value);
}

/**
 * Reads one item's Generate parameters as plain values, without validating them yet: each
 * parameter once for the item, or once for the run when it holds no expression.
 */
export function readGenerateParams(parameters: NodeParameters, itemIndex: number): GenerateParams {
	const inputMode = parameters.get<InputMode>('inputMode', itemIndex, 'text');
	const settings = parameters.get<IDataObject>('videoSettings', itemIndex, {});
	const options = parameters.get<IDataObject>('options', itemIndex, {});
	const input: GenerateParams = {
		model: String(parameters.get<unknown>('model', itemIndex, undefined)),
		prompt: String(parameters.get<unknown>('prompt', itemIndex, '') ?? ''),
		inputMode,
		settings: {
			duration: settings.duration as number | undefined,
			resolution: settings.resolution as string | undefined,
			aspectRatio: settings.aspectRatio as string | undefined,
			generateAudio: settings.generateAudio as boolean | undefined,
			seed: settings.seed as number | undefined,
			cameraFixed: settings.cameraFixed as boolean | undefined,
			returnLastFrame: settings.returnLastFrame as boolean | undefined,
			webSearch: settings.webSearch as boolean | undefined,
		},
		webhookUrl: optionalString(options.notifyWebhookUrl),
		webhookEvents: options.notifyEvents as string[] | undefined,
	};
	if (inputMode === 'image') {
		input.firstFrame = optionalString(parameters.get('firstFrame', itemIndex, ''));
		input.lastFrame = optionalString(parameters.get('lastFrame', itemIndex, ''));
	}
	if (inputMode === 'extend') {
		input.continueFrom = optionalString(parameters.get('continueFrom', itemIndex, ''))?.trim();
	}
	if (inputMode === 'reference' || inputMode === 'edit') {
		const videoEntries = readEntries(parameters, 'referenceVideos', itemIndex);
		const images = readReferenceList(readEntries(parameters, 'referenceImages', itemIndex));
		const videos = readReferenceList(videoEntries);
		const audios = readReferenceList(readEntries(parameters, 'referenceAudios', itemIndex));
		input.referenceImages = images.urls;
		input.referenceVideos = videos.urls;
		input.referenceAudios = audios.urls;
		input.referenceRoles = { image: images.roles, video: videos.roles, audio: audios.roles };
		input.referenceVideoDurations = videoEntries.map((entry) => (typeof entry.durationSeconds === 'number' ? entry.durationSeconds : undefined));
	}
	return input;
}
