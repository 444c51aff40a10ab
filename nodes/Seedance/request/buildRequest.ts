import type { ZodIssue } from 'zod';

import { JOB_END_EVENTS } from '../schemas/jobEvents';
import { modelNames } from '../models/fieldHints';
import { DEFAULT_MODEL, findModel, PROMPT_MAX_LENGTH, SEEDANCE_MODELS, widestReferenceLimits, type ReferenceLimits } from '../models/models';
import { findRole, promptWithRoles, REFERENCE_KINDS, type ReferenceKind, type ReferenceRoles } from './referenceRoles';
import { requestSchemaOf, type SeedanceRequestBody } from '../schemas/seedanceRequest';
import type { GenerateParams } from './params';
import { uiFieldForParam, uiFieldForPath } from '../base/fieldLabels';

export interface InputIssue {
	field: string;
	message: string;
}

export type BuildResult =
	/** `body.prompt` is the prompt as sent: as typed, plus a sentence per reference role. */
	| { ok: true; body: SeedanceRequestBody }
	| { ok: false; issues: InputIssue[] };

const SETTING_KEYS: Array<[keyof GenerateParams['settings'], string]> = [
	['duration', 'duration'],
	['resolution', 'resolution'],
	['aspectRatio', 'aspect_ratio'],
	['generateAudio', 'generate_audio'],
	['seed', 'seed'],
	['cameraFixed', 'camera_fixed'],
	['returnLastFrame', 'return_last_frame'],
	['webSearch', 'web_search'],
];

/** The seedanceParams list of each kind of reference. */
const REFERENCE_LIST_KEYS: Record<ReferenceKind, string> = {
	image: 'reference_image_urls',
	video: 'reference_video_urls',
	audio: 'reference_audio_urls',
};

function isSet<T>(value: T | null | undefined): value is T {
	if (value === undefined || value === null) return false;
	if (typeof value === 'string') return value.trim().length > 0;
	if (Array.isArray(value)) return value.length > 0;
	return true;
}

/** Maps UI values to the request body: only what the user set, under the API's exact keys. */
export function mapToRequestBody(input: GenerateParams, promptSent = input.prompt): SeedanceRequestBody {
	const params: Record<string, unknown> = {};
	for (const [uiKey, apiKey] of SETTING_KEYS) {
		const value = input.settings[uiKey];
		if (isSet(value)) params[apiKey] = typeof value === 'string' ? value.trim() : value;
	}
	if (input.inputMode === 'image' || input.inputMode === 'extend') {
		if (isSet(input.firstFrame)) params.start_image = input.firstFrame.trim();
		if (isSet(input.lastFrame) && input.inputMode === 'image') params.end_image = input.lastFrame.trim();
	}
	// An extension usually gets extended again: ask for its last frame unless told otherwise.
	if (input.inputMode === 'extend' && params.return_last_frame === undefined && findModel(input.model)?.generation === 2) {
		params.return_last_frame = true;
	}
	if (input.inputMode === 'reference' || input.inputMode === 'edit') {
		const lists: Array<[string, string[] | undefined]> = [
			[REFERENCE_LIST_KEYS.image, input.referenceImages],
			[REFERENCE_LIST_KEYS.video, input.referenceVideos],
			[REFERENCE_LIST_KEYS.audio, input.referenceAudios],
		];
		for (const [apiKey, urls] of lists) {
			if (isSet(urls)) params[apiKey] = urls.map((url) => url.trim());
		}
	}
	const body: SeedanceRequestBody = { model: input.model, prompt: promptSent };
	if (Object.keys(params).length > 0) body.seedanceParams = params;
	if (isSet(input.webhookUrl)) {
		body.webhookUrl = input.webhookUrl.trim();
		body.webhookEvents = (input.webhookEvents?.length ? input.webhookEvents : [...JOB_END_EVENTS]) as
			SeedanceRequestBody['webhookEvents'];
	}
	return body;
}

function describeIssue(issue: ZodIssue, modelLabel: string): InputIssue[] {
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map((key) => ({
			field: issue.path.length ? uiFieldForParam(key) : uiFieldForPath([key]),
			message: `is not available for ${modelLabel}: clear it, or choose a ${modelNames(SEEDANCE_MODELS, (model) => model.generation === 2)} model`,
		}));
	}
	return [{ field: uiFieldForPath(issue.path), message: issue.message }];
}

/** Maps and validates one item's UI values; every problem names the UI field and the fix. */
export function buildGenerateRequest(input: GenerateParams): BuildResult {
	const model = findModel(input.model || DEFAULT_MODEL);
	if (!model) {
		return {
			ok: false,
			issues: [
				{
					field: 'Model',
					message: `"${input.model}" is not a Seedance model: choose one of ${SEEDANCE_MODELS.map((m) => m.id).join(', ')}`,
				},
			],
		};
	}
	const issues: InputIssue[] = [];
	if (input.inputMode === 'image' && !isSet(input.firstFrame)) {
		issues.push({
			field: 'First Frame',
			message: 'is empty: Image to Video needs the URL of the first frame image',
		});
	}
	if (input.inputMode === 'extend' && !isSet(input.firstFrame)) {
		issues.push({
			field: 'Continue From',
			message: 'is empty: give the job ID of the clip to continue, or its last frame image',
		});
	}
	if (input.inputMode === 'reference' || input.inputMode === 'edit') {
		const modeName = input.inputMode === 'edit' ? 'Edit with References' : 'Reference to Video';
		if (!model.references) {
			issues.push({
				field: 'Input Mode',
				message: `${modeName} is not available for ${model.label}: choose a ${modelNames(SEEDANCE_MODELS, (candidate) => candidate.references !== null)} model`,
			});
		} else if (input.inputMode === 'edit' && !isSet(input.referenceVideos)) {
			issues.push({
				field: 'Reference Videos',
				message: 'are empty: Edit with References needs the clip to edit as a reference video',
			});
		} else if (![input.referenceImages, input.referenceVideos, input.referenceAudios].some(isSet)) {
			issues.push({
				field: 'Reference Images',
				message: 'are empty: Reference to Video needs at least one reference image or video',
			});
		}
		const clipLimits = (model.references ?? widestReferenceLimits())?.videoSeconds;
		if (clipLimits) issues.push(...referenceDurationIssues(input.referenceVideoDurations ?? [], clipLimits));
	}
	const roles = readReferenceRoles(input);
	if (!roles.ok) issues.push(...roles.issues);
	const promptSent = roles.ok ? promptWithRoles(input.prompt, roles.roles) : input.prompt;
	const body = mapToRequestBody({ ...input, model: model.id }, promptSent);
	const parsed = requestSchemaOf(model).safeParse(body);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) issues.push(...describeIssue(issue, model.label));
	}
	const tooLong = issues.findIndex((issue) => issue.field === 'Prompt' && issue.message.startsWith('is longer'));
	if (tooLong >= 0 && promptSent !== input.prompt) {
		// The schema's "shorten it" would hide that the roles' sentences made it too long.
		issues[tooLong] = {
			field: 'Prompt',
			message: `is ${input.prompt.length} characters as typed and ${promptSent.length} as sent, with a sentence for each reference's Role: Seedance takes at most ${PROMPT_MAX_LENGTH}, so shorten the prompt or set fewer roles`,
		};
	}
	if (input.inputMode === 'extend') {
		// Extend fills the first frame from Continue From: name the field the user sees.
		for (const issue of issues) issue.field = issue.field.replace(/^First Frame\b/, 'Continue From');
	}
	if (issues.length > 0) return { ok: false, issues: dedupe(issues) };
	return { ok: true, body };
}

/**
 * Each reference's role, checked against the table. Only the reference modes send references,
 * so the other modes have none whatever the hidden fields hold.
 */
function readReferenceRoles(input: GenerateParams): { ok: true; roles: ReferenceRoles } | { ok: false; issues: InputIssue[] } {
	const roles: ReferenceRoles = { image: [], video: [], audio: [] };
	const issues: InputIssue[] = [];
	if (input.inputMode !== 'reference' && input.inputMode !== 'edit') return { ok: true, roles };
	for (const kind of REFERENCE_KINDS) {
		(input.referenceRoles?.[kind] ?? []).forEach((given, index) => {
			const found = findRole(kind, given);
			if (found.ok) roles[kind][index] = found.role;
			else {
				issues.push({
					field: `${uiFieldForPath(['seedanceParams', REFERENCE_LIST_KEYS[kind], index])} › Role`,
					message: `is "${String(given)}": choose one of ${found.allowed}, by value or by name`,
				});
			}
		});
	}
	return issues.length > 0 ? { ok: false, issues } : { ok: true, roles };
}

/** Checks the lengths given for reference clips against the model's limits. */
export function referenceDurationIssues(
	durations: Array<number | undefined>,
	{ min, max, total: maxTotal }: ReferenceLimits['videoSeconds'],
): InputIssue[] {
	const issues: InputIssue[] = [];
	let total = 0;
	durations.forEach((duration, index) => {
		if (duration === undefined || duration === null || duration === 0) return;
		total += duration;
		if (duration < min || duration > max) {
			issues.push({
				field: `Reference Videos (entry ${index + 1})`,
				message: `is ${duration} s long: Seedance takes reference clips of ${min} to ${max} seconds, so trim it`,
			});
		}
	});
	if (total > maxTotal) {
		issues.push({
			field: 'Reference Videos',
			message: `last ${total} s together: Seedance takes at most ${maxTotal} seconds of reference video in all, so trim or drop a clip`,
		});
	}
	return issues;
}

function dedupe(issues: InputIssue[]): InputIssue[] {
	const seen = new Set<string>();
	return issues.filter((issue) => {
		const key = `${issue.field}|${issue.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

export function formatIssues(issues: InputIssue[]): string {
	return issues.map((issue) => `${issue.field} ${issue.message}`).join('\n');
}
