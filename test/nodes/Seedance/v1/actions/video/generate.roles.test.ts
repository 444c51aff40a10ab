import type { Sandbox } from '../../../../../../sandbox';
import {
	generateParameters,
	itemWithFiles,
	prompts,
	requestsTo,
	runSeedance,
	sandboxAsset,
	useSandbox,
} from '../../../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const POSTS = /^\/v2\/videos\/generate$/;
const PNG = sandboxAsset('last-frame.png');
const MP4 = sandboxAsset('sample.mp4');

/** The prompts the sandbox received, in order. */
function promptsReceived(): string[] {
	return requestsTo(sandbox, 'POST', POSTS).map((request) => (request.body as { prompt: string }).prompt);
}

function submitted(parameters: Record<string, unknown>) {
	return generateParameters({ waitForCompletion: false, ...parameters });
}

describe('Video → Generate, reference roles', () => {
	it('Reference to Video: appends a sentence per tagged reference, by kind and position', async () => {
		const result = await runSeedance(
			sandbox,
			submitted({
				inputMode: 'reference',
				referenceImages: {
					entries: [
						{ url: 'https://example.com/face.png', role: 'character' },
						{ url: 'https://example.com/sky.png' },
						{ url: 'https://example.com/bottle.png', role: 'product' },
					],
				},
				referenceVideos: { entries: [{ url: 'https://example.com/dolly.mp4', role: 'camera', durationSeconds: 5 }] },
				referenceAudios: { entries: [{ url: 'https://example.com/track.mp3', role: 'music' }] },
			}),
			{ inputItems: prompts('A woman lifts a bottle at a night market.') },
		);
		expect(result.error).toBeUndefined();
		const sent =
			'A woman lifts a bottle at a night market.\n' +
			'Keep the character from image 1 (@Image1) consistent: same face, hair and clothing. ' +
			'Show the object in image 3 (@Image3) exactly as it appears: shape, colours, logo and details. ' +
			'Replicate the camera movement of video 1 (@Video1). ' +
			'Use audio 1 (@Audio1) as the background music and time the cuts to its rhythm.';
		expect(promptsReceived()).toEqual([sent]);
		// Handed on as first read: still queued, or on a slow machine already processing.
		expect(result.items[0].json).toMatchObject({ promptSent: sent });
		expect(['QUEUED', 'PROCESSING']).toContain(result.items[0].json.status);
	});

	it('Edit with References: names the clip to edit and the style image', async () => {
		const result = await runSeedance(
			sandbox,
			submitted({
				inputMode: 'edit',
				referenceVideos: { entries: [{ url: 'https://example.com/clip.mp4', role: 'edit' }] },
				referenceImages: { entries: [{ url: 'https://example.com/painting.png', role: 'style' }] },
				referenceAudios: { entries: [{ url: 'https://example.com/line.mp3', role: 'voice' }] },
			}),
			{ inputItems: prompts('Make it night.') },
		);
		expect(result.error).toBeUndefined();
		const sent =
			'Make it night.\n' +
			'Match the visual style of image 1 (@Image1): colours, lighting and texture. ' +
			'Edit video 1 (@Video1) as described; keep everything not mentioned unchanged. ' +
			'Give the speaking character the voice and timbre of audio 1 (@Audio1).';
		expect(promptsReceived()).toEqual([sent]);
		expect(result.items[0].json.promptSent).toBe(sent);
	});

	it('sends a prompt without roles exactly as typed, in every mode', async () => {
		const typed = 'Two foxes play in the snow, slow pan  ';
		const result = await runSeedance(
			sandbox,
			submitted({
				inputMode: 'reference',
				referenceImages: { entries: [{ url: 'https://example.com/a.png', role: 'none' }, { url: 'https://example.com/b.png' }] },
			}),
			{ inputItems: prompts(typed) },
		);
		const text = await runSeedance(sandbox, submitted({}), { inputItems: prompts(typed) });
		expect(result.error).toBeUndefined();
		expect(text.error).toBeUndefined();
		expect(promptsReceived()).toEqual([typed, typed]);
		expect([result.items[0].json.promptSent, text.items[0].json.promptSent]).toEqual([typed, typed]);
	});

	it('takes roles from expressions by value or name, and refuses an unknown one before anything is billed', async () => {
		const parameters = submitted({
			inputMode: 'reference',
			referenceImages: {
				entries: [
					{ url: 'https://example.com/a.png', role: '={{ $json.firstRole }}' },
					{ url: 'https://example.com/b.png', role: '={{ $json.secondRole }}' },
				],
			},
		});
		const good = await runSeedance(sandbox, parameters, {
			inputItems: [{ json: { prompt: 'Row one.', firstRole: 'Object or Product', secondRole: 'COMPOSITION' } }],
		});
		expect(good.error).toBeUndefined();
		expect(promptsReceived()).toEqual([
			'Row one.\n' +
				'Show the object in image 1 (@Image1) exactly as it appears: shape, colours, logo and details. ' +
				'Follow the composition and framing of image 2 (@Image2).',
		]);

		sandbox.reset();
		const bad = await runSeedance(sandbox, parameters, {
			inputItems: [
				{ json: { prompt: 'Row one.', firstRole: 'style', secondRole: '' } },
				{ json: { prompt: 'Row two.', firstRole: 'style', secondRole: 'hero' } },
			],
		});
		expect(bad.error?.message).toBe(
			'Reference Images (entry 2) › Role is "hero": choose one of character (Character), composition (Composition), none (None), product (Object or Product), scene (Scene or Background), style (Style), by value or by name',
		);
		expect(bad.error?.description).toContain('Nothing was sent to Apiframe, so nothing was billed.');
		expect(sandbox.requests).toHaveLength(0);
	});

	it('checks the 4,000-character limit on the prompt as sent, naming both lengths and the fix', async () => {
		const typed = 'A'.repeat(3950);
		const parameters = submitted({
			inputMode: 'reference',
			referenceImages: { entries: [{ url: 'https://example.com/a.png', role: 'character' }] },
		});
		const result = await runSeedance(sandbox, parameters, { inputItems: prompts(typed) });
		expect(result.error?.message).toBe(
			'Prompt is 3950 characters as typed and 4034 as sent, with a sentence for each reference\'s Role: Seedance takes at most 4000, so shorten the prompt or set fewer roles',
		);
		expect(sandbox.requests).toHaveLength(0);

		// Without the role, the same prompt fits.
		const plain = await runSeedance(sandbox, submitted({ ...parameters, referenceImages: { entries: [{ url: 'https://example.com/a.png' }] } }), {
			inputItems: prompts(typed),
		});
		expect(plain.error).toBeUndefined();
		expect(promptsReceived()).toEqual([typed]);
	});

	it('keeps each binary entry\'s role at its position once its file is uploaded', async () => {
		const result = await runSeedance(
			sandbox,
			submitted({
				inputMode: 'edit',
				referenceImages: {
					entries: [
						{ url: 'https://example.com/style.png', role: 'style' },
						{ url: 'face', role: 'character' },
					],
				},
				referenceVideos: { entries: [{ url: 'clip', role: 'edit', durationSeconds: 2 }] },
			}),
			{ inputItems: [await itemWithFiles({ prompt: 'Swap the jacket for a red one.' }, { clip: [MP4, 'clip.mp4'], face: [PNG, 'face.png'] })] },
		);
		expect(result.error).toBeUndefined();
		const [submit] = requestsTo(sandbox, 'POST', POSTS);
		const params = (submit.body as { seedanceParams: Record<string, string[]> }).seedanceParams;
		expect(params.reference_image_urls[0]).toBe('https://example.com/style.png');
		expect(params.reference_image_urls[1]).toMatch(/\/uploads\//);
		expect(params.reference_video_urls[0]).toMatch(/\/uploads\//);
		expect(promptsReceived()).toEqual([
			'Swap the jacket for a red one.\n' +
				'Match the visual style of image 1 (@Image1): colours, lighting and texture. ' +
				'Keep the character from image 2 (@Image2) consistent: same face, hair and clothing. ' +
				'Edit video 1 (@Video1) as described; keep everything not mentioned unchanged.',
		]);
	});
});
