import { createHash } from 'node:crypto';

import type { Sandbox } from '../../../../sandbox';
import {
	generateParameters,
	itemWithFiles as item,
	prompts,
	requestsTo,
	runSeedance,
	sandboxAsset,
	useSandbox,
} from '../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const PNG = sandboxAsset('last-frame.png');
const MP4 = sandboxAsset('sample.mp4');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function download(url: string) {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('media from n8n binary data', () => {
	it('uploads a binary first frame just before submit and sends its URL', async () => {
		const result = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'image', firstFrame: 'photo', waitForCompletion: false }),
			{ inputItems: [await item({ prompt: 'Bring the photo to life' }, { photo: [PNG, 'photo.png'] })] },
		);
		expect(result.error).toBeUndefined();
		const [upload] = requestsTo(sandbox, 'POST', /^\/v2\/uploads$/);
		expect(upload.status).toBe(201);
		expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		const [submit] = requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/);
		const startImage = (submit.body as { seedanceParams: { start_image: string } }).seedanceParams.start_image;
		expect(startImage).toMatch(/\/uploads\//);
		expect(sha256(await download(startImage))).toBe(sha256(PNG));
		expect(sandbox.requests.indexOf(upload)).toBeLessThan(sandbox.requests.indexOf(submit));
	});

	it('uploads binary reference images and videos next to URLs', async () => {
		const result = await runSeedance(
			sandbox,
			generateParameters({
				inputMode: 'edit',
				referenceVideos: { entries: [{ url: 'clip', durationSeconds: 2 }] },
				referenceImages: { entries: [{ url: 'https://example.com/style.png' }, { url: 'face' }] },
				waitForCompletion: false,
			}),
			{ inputItems: [await item({ prompt: 'Make it night' }, { clip: [MP4, 'clip.mp4'], face: [PNG, 'face.png'] })] },
		);
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, 'POST', /^\/v2\/uploads$/).map((r) => r.status)).toEqual([201, 201]);
		const [submit] = requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/);
		const params = (submit.body as { seedanceParams: Record<string, string[]> }).seedanceParams;
		expect(params.reference_image_urls[0]).toBe('https://example.com/style.png');
		expect(sha256(await download(params.reference_image_urls[1]))).toBe(sha256(PNG));
		expect(sha256(await download(params.reference_video_urls[0]))).toBe(sha256(MP4));
	});

	it('refuses a file of the wrong type or too large, naming the field, before any upload', async () => {
		const text = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'image', firstFrame: 'notes' }),
			{ inputItems: [await item({ prompt: 'x' }, { notes: [Buffer.from('just some words'), 'notes.png'] })] },
		);
		expect(text.error?.message).toBe('First Frame: binary field "notes" (notes.png) is not a file type Apiframe takes, not an image');

		const video = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'image', firstFrame: 'clip' }),
			{ inputItems: [await item({ prompt: 'x' }, { clip: [MP4, 'clip.mp4'] })] },
		);
		expect(video.error?.message).toContain('is a video (video/mp4), not an image');

		const huge = Buffer.concat([PNG.subarray(0, 16), Buffer.alloc(26 * 1024 * 1024)]);
		const big = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'image', firstFrame: 'poster' }),
			{ inputItems: [await item({ prompt: 'x' }, { poster: [huge, 'poster.png'] })] },
		);
		expect(big.error?.message).toBe('First Frame: binary field "poster" (poster.png) is 26.0 MB, over Apiframe\'s 25.0 MB limit for image files');
		expect(requestsTo(sandbox, 'POST', /^\/v2\/(uploads|videos\/generate)$/)).toHaveLength(0);
	});

	it('never bills twice when Retry On Fail re-runs a node whose media were uploaded', async () => {
		sandbox.faults.push({ method: 'GET', path: /^\/v2\/jobs\/[^/]+$/, status: 404 });
		const result = await runSeedance(
			sandbox,
			generateParameters({
				inputMode: 'reference',
				referenceImages: { entries: [{ url: 'face' }, { url: 'style' }] },
			}),
			{
				inputItems: [await item({ prompt: 'Retried' }, { face: [PNG, 'face.png'], style: [PNG, 'style.png'] })],
				retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
			},
		);
		const submits = requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/);
		expect(submits.map((submit) => submit.status)).toEqual([202, 409]);
		expect(submits[0].headers['idempotency-key']).toBe(submits[1].headers['idempotency-key']);
		expect(sandbox.jobs.list()).toHaveLength(1);
		expect(result.error?.description).toContain('Nothing was billed twice');
		expect(result.error?.description).toContain(`Idempotency-Key: ${String(submits[0].headers['idempotency-key'])}`);
	});

	it('names a value that is neither a URL nor a binary field', async () => {
		const result = await runSeedance(sandbox, generateParameters({ inputMode: 'image', firstFrame: 'picture' }), {
			inputItems: prompts('x'),
		});
		expect(result.error?.message).toContain('First Frame is not a valid URL');
		expect(result.error?.message).toContain('binary field');
	});
});

describe('Extend a Clip', () => {
	it("continues from a job's last frame and asks for the new clip's last frame", async () => {
		const first = await runSeedance(sandbox, generateParameters({ videoSettings: { returnLastFrame: true }, downloadVideo: false }), {
			inputItems: prompts('Shot 1: a knight enters the hall'),
		});
		const firstJob = first.items[0].json;
		expect(firstJob.lastFrameUrl).toEqual(expect.any(String));

		const second = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'extend', continueFrom: '={{ $json.jobId }}', downloadVideo: false }),
			{ inputItems: [{ json: { jobId: firstJob.jobId, prompt: 'Shot 2: she draws her sword' } }] },
		);
		expect(second.error).toBeUndefined();
		const posts = requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/);
		expect((posts[1].body as { seedanceParams: unknown }).seedanceParams).toEqual({
			start_image: firstJob.lastFrameUrl,
			return_last_frame: true,
		});
		expect(second.items[0].json.lastFrameUrl).toEqual(expect.any(String));
	});

	it('explains a job that has no last frame, before anything is billed', async () => {
		const plain = await runSeedance(sandbox, generateParameters({ downloadVideo: false }), { inputItems: prompts('no frame') });
		sandbox.requests.length = 0;
		const result = await runSeedance(
			sandbox,
			generateParameters({ inputMode: 'extend', continueFrom: plain.items[0].json.jobId as string }),
			{ inputItems: prompts('continue') },
		);
		expect(result.error?.message).toBe(`Continue From: job ${plain.items[0].json.jobId} has no last frame`);
		expect(requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/)).toHaveLength(0);
	});
});
