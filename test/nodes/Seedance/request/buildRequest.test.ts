import { buildGenerateRequest, mapToRequestBody } from '../../../../nodes/Seedance/request/buildRequest';
import type { GenerateParams as GenerateInput } from '../../../../nodes/Seedance/request/params';
import { SEEDANCE_MODELS } from '../../../../nodes/Seedance/models/models';

function input(overrides: Partial<GenerateInput> = {}): GenerateInput {
	return { model: 'seedance-2', prompt: 'A fox in the snow', inputMode: 'text', settings: {}, ...overrides };
}

function issuesOf(values: Partial<GenerateInput>) {
	const result = buildGenerateRequest(input(values));
	if (result.ok) throw new Error(`expected issues, got body ${JSON.stringify(result.body)}`);
	return result.issues;
}

describe('mapping UI values to the request body', () => {
	it('sends only the prompt and model when nothing else is set', () => {
		expect(buildGenerateRequest(input())).toEqual({
			ok: true,
			body: { model: 'seedance-2', prompt: 'A fox in the snow' },
		});
	});

	it('maps every setting to its exact seedanceParams key', () => {
		const result = buildGenerateRequest(
			input({
				settings: {
					duration: 8,
					resolution: '1080p',
					aspectRatio: '9:16',
					generateAudio: false,
					seed: 42,
					cameraFixed: true,
					returnLastFrame: true,
					webSearch: true,
				},
			}),
		);
		expect(result).toEqual({
			ok: true,
			body: {
				model: 'seedance-2',
				prompt: 'A fox in the snow',
				seedanceParams: {
					duration: 8,
					resolution: '1080p',
					aspect_ratio: '9:16',
					generate_audio: false,
					seed: 42,
					camera_fixed: true,
					return_last_frame: true,
					web_search: true,
				},
			},
		});
	});

	it('keeps false and zero values, which the user did set', () => {
		const body = mapToRequestBody(input({ settings: { seed: 0, generateAudio: false } }));
		expect(body.seedanceParams).toEqual({ seed: 0, generate_audio: false });
	});

	it('maps first and last frames in image mode only', () => {
		const image = mapToRequestBody(
			input({ inputMode: 'image', firstFrame: ' https://x.test/a.png ', lastFrame: 'https://x.test/b.png' }),
		);
		expect(image.seedanceParams).toEqual({ start_image: 'https://x.test/a.png', end_image: 'https://x.test/b.png' });
		const text = mapToRequestBody(input({ inputMode: 'text', firstFrame: 'https://x.test/a.png' }));
		expect(text.seedanceParams).toBeUndefined();
	});

	it('maps reference media in reference mode only', () => {
		const body = mapToRequestBody(
			input({
				inputMode: 'reference',
				referenceImages: ['https://x.test/1.png', 'asset://abc'],
				referenceVideos: ['https://x.test/v.mp4'],
				referenceAudios: ['https://x.test/a.mp3'],
				firstFrame: 'https://x.test/ignored.png',
			}),
		);
		expect(body.seedanceParams).toEqual({
			reference_image_urls: ['https://x.test/1.png', 'asset://abc'],
			reference_video_urls: ['https://x.test/v.mp4'],
			reference_audio_urls: ['https://x.test/a.mp3'],
		});
	});

	it('sends webhookUrl and webhookEvents in camelCase, with default events', () => {
		const body = mapToRequestBody(input({ webhookUrl: 'https://n8n.test/webhook/x' }));
		expect(body).toMatchObject({ webhookUrl: 'https://n8n.test/webhook/x', webhookEvents: ['completed', 'failed'] });
		expect(JSON.stringify(body)).not.toContain('webhook_url');
	});
});

describe('validation before anything is billed', () => {
	it('accepts every model with its own limits', () => {
		for (const model of SEEDANCE_MODELS) {
			const duration = 'values' in model.durations ? model.durations.values[0] : model.durations.max;
			const result = buildGenerateRequest(
				input({ model: model.id, settings: { duration, resolution: model.resolutions[0], aspectRatio: model.aspectRatios[0] } }),
			);
			expect(result.ok).toBe(true);
		}
	});

	it('rejects an empty or whitespace prompt, naming the field', () => {
		expect(issuesOf({ prompt: '   ' })).toEqual([{ field: 'Prompt', message: expect.stringContaining('is empty') }]);
	});

	it('rejects a prompt over 4000 characters', () => {
		expect(issuesOf({ prompt: 'a'.repeat(4001) })[0]).toEqual({
			field: 'Prompt',
			message: expect.stringContaining('4000'),
		});
		expect(buildGenerateRequest(input({ prompt: 'a'.repeat(4000) })).ok).toBe(true);
	});

	it.each([
		['seedance-2', 3, '4 to 15'],
		['seedance-2', 16, '4 to 15'],
		['seedance-2', 5.5, '4 to 15'],
		['seedance-1-pro', 7, '5, 10'],
		['seedance-1.5-pro', 5, '4, 8, 12'],
	])('rejects %s duration %s with the allowed values', (model, duration, allowed) => {
		const [issue] = issuesOf({ model, settings: { duration } });
		expect(issue.field).toBe('Video Settings › Duration (Seconds)');
		expect(issue.message).toContain(allowed);
	});

	it('rejects 1080p for seedance-2-fast and lists what it takes', () => {
		const [issue] = issuesOf({ model: 'seedance-2-fast', settings: { resolution: '1080p' } });
		expect(issue).toEqual({ field: 'Video Settings › Resolution', message: expect.stringContaining('480p, 720p') });
	});

	it('rejects adaptive aspect ratio on a 1.x model and 9:21 on a 2.x model', () => {
		expect(issuesOf({ model: 'seedance-1-pro', settings: { aspectRatio: 'adaptive' } })[0].field).toBe(
			'Video Settings › Aspect Ratio',
		);
		expect(issuesOf({ settings: { aspectRatio: '9:21' } })[0].field).toBe('Video Settings › Aspect Ratio');
	});

	it('rejects 2.x-only settings on a 1.x model, naming each one', () => {
		const issues = issuesOf({ model: 'seedance-1-lite', settings: { returnLastFrame: true, webSearch: true } });
		expect(issues.map((issue) => issue.field)).toEqual([
			'Video Settings › Return Last Frame',
			'Video Settings › Web Search',
		]);
		expect(issues[0].message).toContain('Seedance 1.0 Lite');
	});

	it('rejects a non-integer seed', () => {
		expect(issuesOf({ settings: { seed: 1.5 } })[0]).toEqual({
			field: 'Video Settings › Seed',
			message: 'must be a whole number',
		});
	});

	it.each(['not a url', 'ftp://x.test/a.png', 'javascript:alert(1)', 'https://'])(
		'rejects the malformed first frame URL %s',
		(url) => {
			const issues = issuesOf({ inputMode: 'image', firstFrame: url });
			expect(issues[0]).toEqual({ field: 'First Frame', message: expect.stringContaining('not a valid URL') });
		},
	);

	it('names the entry of a malformed reference URL', () => {
		const issues = issuesOf({
			inputMode: 'reference',
			referenceImages: ['https://x.test/1.png', 'https://x.test/2.png', 'oops'],
		});
		expect(issues[0].field).toBe('Reference Images (entry 3)');
	});

	it('requires the first frame in image mode', () => {
		expect(issuesOf({ inputMode: 'image' })[0].field).toBe('First Frame');
	});

	it('rejects too many references of one kind and in all', () => {
		const images = Array.from({ length: 10 }, (_, i) => `https://x.test/${i}.png`);
		expect(issuesOf({ inputMode: 'reference', referenceImages: images })[0]).toEqual({
			field: 'Reference Images',
			message: expect.stringContaining('at most 9'),
		});
		const all = issuesOf({
			inputMode: 'reference',
			referenceImages: images.slice(0, 9),
			referenceVideos: ['https://x.test/v1.mp4', 'https://x.test/v2.mp4'],
			referenceAudios: ['https://x.test/a1.mp3', 'https://x.test/a2.mp3'],
		});
		expect(all[0].message).toContain('at most 12 in all');
	});

	it('rejects reference audio without an image or video beside it', () => {
		const [issue] = issuesOf({ inputMode: 'reference', referenceAudios: ['https://x.test/a.mp3'] });
		expect(issue).toEqual({ field: 'Reference Audios', message: expect.stringContaining('at least one reference image or video') });
	});

	it('rejects reference mode on a 1.x model and an empty reference mode', () => {
		expect(issuesOf({ model: 'seedance-1-pro', inputMode: 'reference', referenceImages: ['https://x.test/1.png'] })[0].field).toBe(
			'Input Mode',
		);
		expect(issuesOf({ inputMode: 'reference' })[0].field).toBe('Reference Images');
	});

	it('rejects an unknown model by name', () => {
		expect(issuesOf({ model: 'seedance-9' })[0]).toEqual({ field: 'Model', message: expect.stringContaining('seedance-2') });
	});

	it('rejects a notify URL that is not http(s)', () => {
		expect(issuesOf({ webhookUrl: 'localhost:5678/webhook' })[0].field).toBe('Options › Notify Webhook URL');
	});

	it('reports every problem of an item at once', () => {
		const issues = issuesOf({ prompt: '', settings: { duration: 99, resolution: '8k' } });
		expect(issues.map((issue) => issue.field).sort()).toEqual(
			['Prompt', 'Video Settings › Duration (Seconds)', 'Video Settings › Resolution'].sort(),
		);
	});
});

describe('extending and editing clips', () => {
	it('extends from a first frame and asks for the new last frame unless told otherwise', () => {
		const extended = buildGenerateRequest(input({ inputMode: 'extend', firstFrame: 'https://x.test/last.png' }));
		expect(extended).toEqual({
			ok: true,
			body: expect.objectContaining({ seedanceParams: { start_image: 'https://x.test/last.png', return_last_frame: true } }),
		});
		const told = mapToRequestBody(input({ inputMode: 'extend', firstFrame: 'https://x.test/last.png', settings: { returnLastFrame: false } }));
		expect(told.seedanceParams?.return_last_frame).toBe(false);
		const older = mapToRequestBody(input({ model: 'seedance-1-pro', inputMode: 'extend', firstFrame: 'https://x.test/l.png' }));
		expect(older.seedanceParams).toEqual({ start_image: 'https://x.test/l.png' });
	});

	it('needs something to continue from', () => {
		expect(issuesOf({ inputMode: 'extend' })[0].field).toBe('Continue From');
	});

	it('edits a clip given as a reference video, and needs one', () => {
		const edited = buildGenerateRequest(
			input({ inputMode: 'edit', prompt: 'Replace the red car with a blue one', referenceVideos: ['https://x.test/clip.mp4'] }),
		);
		expect(edited.ok && edited.body.seedanceParams).toEqual({ reference_video_urls: ['https://x.test/clip.mp4'] });
		expect(issuesOf({ inputMode: 'edit', referenceImages: ['https://x.test/1.png'] })[0]).toEqual({
			field: 'Reference Videos',
			message: expect.stringContaining('the clip to edit'),
		});
	});

	it('checks reference clip lengths where the user gave them', () => {
		const issues = issuesOf({
			inputMode: 'reference',
			referenceVideos: ['https://x.test/a.mp4', 'https://x.test/b.mp4', 'https://x.test/c.mp4'],
			referenceVideoDurations: [1, 10, 8],
		});
		expect(issues).toEqual([
			{ field: 'Reference Videos (entry 1)', message: expect.stringContaining('is 1 s long') },
			{ field: 'Reference Videos', message: expect.stringContaining('19 s together') },
		]);
		expect(
			buildGenerateRequest(
				input({ inputMode: 'edit', referenceVideos: ['https://x.test/a.mp4'], referenceVideoDurations: [undefined] }),
			).ok,
		).toBe(true);
	});
});

describe('field names in Extend a Clip', () => {
	it('names Continue From, the field the user sees, for a bad first frame', () => {
		expect(issuesOf({ inputMode: 'extend', firstFrame: 'not-a-thing' })[0].field).toBe('Continue From');
	});
});

describe('reference roles in the prompt', () => {
	const references = {
		referenceImages: ['https://x.test/face.png'],
		referenceVideos: ['https://x.test/clip.mp4'],
		referenceRoles: { image: ['Character'], video: ['edit'], audio: [] },
	};

	it('adds the roles\' sentences in the reference modes only', () => {
		const edit = buildGenerateRequest(input({ inputMode: 'edit', ...references }));
		expect(edit.ok && edit.body.prompt).toBe(
			'A fox in the snow\n' +
				'Keep the character from image 1 (@Image1) consistent: same face, hair and clothing. ' +
				'Edit video 1 (@Video1) as described; keep everything not mentioned unchanged.',
		);
		// Roles left in hidden fields of another mode send nothing.
		const text = buildGenerateRequest(input({ inputMode: 'text', ...references }));
		expect(text.ok && text.body.prompt).toBe('A fox in the snow');
	});

	it('names every entry with an unknown role, with the other issues', () => {
		expect(
			issuesOf({ inputMode: 'reference', ...references, referenceRoles: { image: ['camera'], video: ['none'], audio: [] }, prompt: '' }),
		).toEqual([
			{ field: 'Reference Images (entry 1) › Role', message: expect.stringMatching(/^is "camera": choose one of character \(Character\), /) },
			{ field: 'Prompt', message: 'is empty: write what the video should show' },
		]);
	});
});
