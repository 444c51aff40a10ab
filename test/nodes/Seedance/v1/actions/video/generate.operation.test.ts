import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { createHash } from 'node:crypto';
import { defaultMaxListeners, getMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IDataObject } from 'n8n-workflow';

import { ExecuteContext } from 'n8n-core';

import { binaryFilePath, disposeHarness, readBinary } from '../../../../../harness';
import { answerOk, StandInHost } from '../../../standInHosts';
import type { Sandbox } from '../../../../../../sandbox';
import { validateGenerateVideoRequest } from '../../../../../../sandbox/openapi';
import {
	generateParameters,
	itemWithFiles,
	prompts,
	requestsTo,
	runSeedance,
	sandboxAsset,
	startSeedance,
	startTestSandbox,
} from '../../../fixtures';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});
afterEach(() => {
	sandbox.reset();
	sandbox.setOptions({ resultShape: 'object', processingMs: 900 });
});
afterAll(async () => {
	await sandbox.close();
	await disposeHarness();
});

const POSTS = /^\/v2\/videos\/generate$/;
const JOB_READS = /^\/v2\/jobs\/[^/]+$/;

function sha256(buffer: Buffer) {
	return createHash('sha256').update(buffer).digest('hex');
}

describe('Video → Generate against the Apiframe sandbox', () => {
	it('turns a prompt into a finished video held as binary data', async () => {
		const result = await runSeedance(
			sandbox,
			generateParameters({ videoSettings: { duration: 6, resolution: '720p', aspectRatio: '9:16' } }),
			{ inputItems: prompts('A red fox runs through fresh snow') },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.json).toMatchObject({
			status: 'COMPLETED',
			model: 'seedance-2',
			progress: 100,
			videoUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp4$/),
			error: null,
			creditCost: expect.any(Number),
		});
		expect(item.pairedItem).toEqual({ item: 0 });

		const jobId = item.json.jobId as string;
		const video = item.binary!.data;
		expect(video.mimeType).toBe('video/mp4');
		expect(video.fileName).toBe(`seedance-${jobId}.mp4`);
		expect(sha256(await readBinary(video))).toBe(await sandbox.videoSha256(jobId));
		expect(statSync(binaryFilePath(video)!).size).toBe(256 * 1024);
		expect(JSON.stringify(item.json)).not.toContain('base64');

		const [submit] = requestsTo(sandbox, 'POST', POSTS);
		expect(submit.body).toEqual({
			model: 'seedance-2',
			prompt: 'A red fox runs through fresh snow',
			seedanceParams: { duration: 6, resolution: '720p', aspect_ratio: '9:16' },
		});
		expect(submit.headers['idempotency-key']).toMatch(/^n8n-seedance:/);
		expect(submit.headers['x-api-key']).toBe('[redacted]');
	});

	it('submits many items, waits for them together and keeps their order', async () => {
		const texts = Array.from({ length: 8 }, (_, i) => `Shot number ${i}`);
		const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 4 }), {
			inputItems: prompts(...texts),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual(texts.map((_, item) => ({ item })));
		const jobIds = result.items.map((item) => item.json.jobId);
		expect(new Set(jobIds).size).toBe(8);
		for (const [index, item] of result.items.entries()) {
			expect(sandbox.jobs.get(item.json.jobId as string)!.request.prompt).toBe(texts[index]);
			expect(item.binary?.data.mimeType).toBe('video/mp4');
		}
		// One second poll interval, jobs of about one second: eight jobs are read a page of the job
		// list at a time, a couple of pages in all, never one by one.
		expect(requestsTo(sandbox, 'GET', JOB_READS)).toHaveLength(0);
		const pages = requestsTo(sandbox, 'GET', /^\/v2\/jobs$/);
		expect(pages.length).toBeGreaterThanOrEqual(1);
		expect(pages.length).toBeLessThanOrEqual(3);
		expect(pages[0].query).toEqual({ limit: '100', model: 'seedance-2' });
	});

	it('returns the accepted job at once when not waiting, read once for its charge', async () => {
		const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: false }), {
			inputItems: prompts('Quick one'),
		});
		expect(result.error).toBeUndefined();
		const jobId = result.items[0].json.jobId as string;
		// The job is handed on as first read, not awaited: still queued, or (on a slow machine, past
		// the sandbox's 300 ms queue) just processing, with no video yet.
		expect(result.items[0].json).toMatchObject({ jobId: expect.any(String), videoUrl: null });
		expect(['QUEUED', 'PROCESSING']).toContain(result.items[0].json.status);
		expect(result.items[0].json.creditCost).toBe(sandbox.jobs.get(jobId)!.creditCost);
		expect(result.items[0].json.idempotencyKey).toMatch(/^n8n-seedance:/);
		expect(result.items[0].binary).toBeUndefined();
		expect(requestsTo(sandbox, 'GET', JOB_READS)).toHaveLength(1);
	});

	it('keeps the accepted job when that read fails, without waiting', async () => {
		sandbox.faults.push({ method: 'GET', path: JOB_READS, status: 404, times: 1 });
		const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: false }), {
			inputItems: prompts('Quick one'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ jobId: expect.any(String), status: 'QUEUED', creditCost: null, error: null });
	});

	it('fails a bad item before anything is sent, naming the field', async () => {
		const result = await runSeedance(sandbox, generateParameters({ model: 'seedance-2-fast', videoSettings: { resolution: '={{ $json.resolution }}' } }), {
			inputItems: [
				{ json: { prompt: 'fine', resolution: '720p' } },
				{ json: { prompt: 'too sharp', resolution: '1080p' } },
			],
		});
		expect(result.error?.message).toBe(
			'Video Settings › Resolution is not available for Seedance 2.0 Fast: choose 480p, 720p',
		);
		expect(result.error?.description).toContain('Nothing was sent to Apiframe');
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
	});

	it('with Continue On Fail, fails only the bad item and runs the others', async () => {
		const result = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('good', '', 'also good'),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.status ?? null)).toEqual(['COMPLETED', null, 'COMPLETED']);
		expect(result.items[1].json.error).toBe('Prompt is empty: write what the video should show');
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(2);
	});

	it('reports a failed job with its jobId', async () => {
		const failing = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('ok', 'broken [sandbox:fail=Content policy]'),
		});
		expect(failing.error?.message).toMatch(/^Seedance job [0-9a-f-]{36} failed: Content policy$/);
		expect(failing.error?.description).toContain('item 0: job');
		expect(failing.error?.description).toContain('COMPLETED');

		sandbox.reset();
		const continued = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('broken [sandbox:fail=Content policy]'),
			continueOnFail: true,
		});
		expect(continued.items[0].json).toMatchObject({
			jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			status: 'FAILED',
			error: expect.stringContaining('Content policy'),
		});
	});

	it('says how many credits are missing on 402', async () => {
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 402, body: { error: 'Insufficient credits', creditsRequired: 150, creditsAvailable: 20 } });
		const result = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('expensive'),
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({
			error: 'Not enough Apiframe credits: this job needs 150, the team has 20',
			httpStatus: 402,
			requestId: expect.any(String),
		});
	});

	it('maps the paths of a 400 from Apiframe to the UI fields', async () => {
		sandbox.faults.push({
			method: 'POST',
			path: '/v2/videos/generate',
			status: 400,
			body: { error: 'Validation failed', details: { 'seedanceParams.duration': ['Too long for this model'] } },
		});
		const result = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('x') });
		expect(result.error?.message).toBe('Apiframe rejected the request: Validation failed');
		expect(result.error?.description).toContain('Video Settings › Duration (Seconds): Too long for this model');
	});

	it('waits out a 429 and replays 503s and dropped connections under the same Idempotency-Key', async () => {
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 429, retryAfter: 1 });
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 503 });
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', drop: true });
		const result = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('resilient') });
		expect(result.error).toBeUndefined();
		const posts = requestsTo(sandbox, 'POST', POSTS);
		expect(posts).toHaveLength(4);
		expect(new Set(posts.map((post) => post.headers['idempotency-key'])).size).toBe(1);
		expect(sandbox.jobs.list()).toHaveLength(1);
	});

	it("replays the job instead of billing again when n8n's Retry On Fail runs the node again", async () => {
		// The first attempt submits, then loses the job to a 404; the retry must find the same job.
		sandbox.faults.push({ method: 'GET', path: JOB_READS, status: 404 });
		const creditsBefore = sandbox.credits;
		const result = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('billed once'),
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(2);
		expect(sandbox.jobs.list()).toHaveLength(1);
		expect(creditsBefore - sandbox.credits).toBe(sandbox.jobs.list()[0].creditCost);
	});

	it('uses the Idempotency Key option as given', async () => {
		const parameters = generateParameters({ waitForCompletion: false }, { idempotencyKey: '={{ "row-" + $json.row }}' });
		const first = await runSeedance(sandbox, parameters, { inputItems: [{ json: { prompt: 'p', row: 7 } }] });
		const again = await runSeedance(sandbox, parameters, { inputItems: [{ json: { prompt: 'p', row: 7 } }] });
		expect(again.items[0].json.jobId).toBe(first.items[0].json.jobId);
		expect(requestsTo(sandbox, 'POST', POSTS).map((post) => post.headers['idempotency-key'])).toEqual(['row-7', 'row-7']);
	});

	it('reads a bare-string result and downloads the last frame when asked', async () => {
		sandbox.setOptions({ resultShape: 'string' });
		const plain = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('string result') });
		expect(plain.items[0].json.videoUrl).toMatch(/\.mp4$/);
		expect(plain.items[0].binary?.data.mimeType).toBe('video/mp4');

		sandbox.setOptions({ resultShape: 'object' });
		const framed = await runSeedance(sandbox, generateParameters({ videoSettings: { returnLastFrame: true } }), {
			inputItems: prompts('with last frame'),
		});
		const { json, binary } = framed.items[0];
		expect(json.lastFrameUrl).toMatch(/\.png$/);
		expect(binary?.lastFrame).toMatchObject({ mimeType: 'image/png', fileName: `seedance-${json.jobId}-last-frame.png` });
		const png = await readBinary(binary!.lastFrame);
		expect(png.subarray(1, 4).toString()).toBe('PNG');
	});

	it('reports an expired result with its jobId', async () => {
		const result = await runSeedance(sandbox, generateParameters(), {
			inputItems: prompts('gone [sandbox:expired]'),
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({
			jobId: expect.any(String),
			status: 'COMPLETED',
			expired: true,
			error: expect.stringContaining('no longer available'),
		});
	});

	it('stops waiting when the execution is cancelled', async () => {
		sandbox.setOptions({ processingMs: 60_000 });
		const running = startSeedance(sandbox, generateParameters({}, { pollInterval: 5 }), { inputItems: prompts('long') });
		for (let i = 0; i < 50 && requestsTo(sandbox, 'POST', POSTS).length === 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		running.cancel();
		const result = await running.result;
		expect(result.cancelled).toBe(true);
		expect(requestsTo(sandbox, 'GET', JOB_READS).length).toBeLessThanOrEqual(1);
	});

	it('names the submitted jobs in its error and in the log when the execution is cancelled', async () => {
		sandbox.setOptions({ processingMs: 60_000 });
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			const running = startSeedance(sandbox, generateParameters({}, { pollInterval: 1 }), { inputItems: prompts('one', 'two') });
			for (let i = 0; i < 50 && requestsTo(sandbox, 'GET', JOB_READS).length < 2; i++) {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			running.cancel();
			const result = await running.result;
			const jobIds = sandbox.jobs.list().map((job) => job.id);
			expect(jobIds).toHaveLength(2);
			expect(result.error?.message).toBe('The execution was cancelled');
			const logged = warn.mock.calls.map(([message]) => String(message)).find((message) => message.includes('was cancelled'));
			for (const jobId of jobIds) {
				expect(result.error?.description).toContain(`job ${jobId}`);
				expect(logged).toContain(`job ${jobId}`);
			}
			expect(logged).toContain(`execution ${result.executionId} was cancelled`);
		} finally {
			warn.mockRestore();
		}
	});

	it('gives up at the timeout with the jobId and the way to pick the job up', async () => {
		sandbox.setOptions({ processingMs: 60_000 });
		const result = await runSeedance(sandbox, generateParameters({}, { pollInterval: 5, timeout: 10 }), {
			inputItems: prompts('slow'),
			continueOnFail: true,
		});
		expect(result.items[0].json).toMatchObject({
			jobId: expect.any(String),
			error: expect.stringMatching(/^Timed out after 10 s waiting for Seedance job .+ \(still PROCESSING/),
			errorDescription: expect.stringContaining('Job → Get'),
		});
	}, 30_000);

	it('never puts the API key into output or errors', async () => {
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 401, body: { error: 'Invalid API key' } });
		const failed = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('x') });
		const ok = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('y') });
		const text = JSON.stringify({ failed: failed.error, items: ok.items, run: failed.run, description: failed.error?.description });
		expect(failed.error?.message).toBe('Apiframe rejected the API key (401): Invalid API key');
		expect(text).not.toContain(sandbox.apiKey);
	});

	it('only ever sends bodies that the OpenAPI description accepts', async () => {
		const registered = await fetch(`${sandbox.url}/v2/assets/create`, {
			method: 'POST',
			headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify({ url: 'https://example.com/face.png', type: 'image' }),
		});
		const { assetId } = (await registered.json()) as { assetId: string };
		await runSeedance(
			sandbox,
			generateParameters({
				inputMode: 'reference',
				referenceImages: { entries: [{ url: 'https://example.com/a.png' }, { url: `asset://${assetId}` }] },
				referenceVideos: { entries: [{ url: 'https://example.com/v.mp4' }] },
				referenceAudios: { entries: [{ url: 'https://example.com/a.mp3' }] },
				videoSettings: { duration: 15, resolution: '1080p', aspectRatio: 'adaptive', generateAudio: true, seed: 7, cameraFixed: false, returnLastFrame: true, webSearch: true },
				waitForCompletion: false,
			}, { notifyWebhookUrl: 'https://n8n.example.com/webhook/x/seedance', notifyEvents: ['completed', 'progress'] }),
			{ inputItems: prompts('contract') },
		);
		const [post] = requestsTo(sandbox, 'POST', POSTS);
		expect(post.status).toBe(202);
		expect(post.body).toMatchObject({ webhookUrl: 'https://n8n.example.com/webhook/x/seedance', webhookEvents: ['completed', 'progress'] });
		expect(validateGenerateVideoRequest(post.body).errors).toEqual([]);
	});
});

describe('Video → Generate: what a run may spend', () => {
	const UPLOADS = /^\/v2\/uploads$/;
	const TEN_SECONDS = { videoSettings: { duration: 10, resolution: '720p' } };
	afterEach(() => sandbox.setOptions({ credits: 100_000 }));

	function bounds(json: IDataObject) {
		return json.estimatedCredits as { low: number; high: number; exact: boolean };
	}

	it('puts the estimate beside the actual charge on every item', async () => {
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS), { inputItems: prompts('one', 'two') });
		expect(result.error).toBeUndefined();
		for (const item of result.items) {
			const charged = sandbox.jobs.get(item.json.jobId as string)!.creditCost;
			expect(item.json.creditCost).toBe(charged);
			expect(bounds(item.json).low).toBeLessThanOrEqual(charged);
			expect(bounds(item.json).high).toBeGreaterThanOrEqual(charged);
		}
		expect(requestsTo(sandbox, 'GET', /^\/v2\/models$/)).toHaveLength(1);
	});

	it('refuses a run over Max Credits for This Run, naming both numbers, and sends nothing', async () => {
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS, { maxCredits: 200 }), {
			inputItems: prompts('one', 'two', 'three'),
		});
		// 720p on seedance-2 in the sandbox's catalogue: at most 13.5 credits a second, 135 for 10 s
		expect(result.error?.message).toBe(
			'This run may cost up to 405 credits (estimate 150–405 for 3 items), over Options › Max Credits for This Run (200)',
		);
		expect(result.error?.description).toContain('Nothing was sent to Apiframe, so nothing was billed.');
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
		expect(requestsTo(sandbox, 'GET', /^\/v2\/me$/)).toHaveLength(0);
	});

	it('runs within the cap', async () => {
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS, { maxCredits: 405 }), {
			inputItems: prompts('one', 'two', 'three'),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(3);
	});

	it('will not promise a cap it cannot check', async () => {
		sandbox.faults.push({ method: 'GET', path: /^\/v2\/models$/, status: 404 });
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS, { maxCredits: 10_000 }), { inputItems: prompts('one') });
		expect(result.error?.message).toBe('Cannot hold this run to 10000 credits: 1 of its 1 items have no estimate');
		expect(result.error?.description).toMatch(/^Apiframe's model catalogue could not be read: /);
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
	});

	it('refuses a run the balance cannot cover before the first submit or upload, naming the shortfall', async () => {
		sandbox.setOptions({ credits: 300 });
		const photo = await itemWithFiles({ prompt: 'Bring the photo to life' }, { photo: [sandboxAsset('last-frame.png'), 'photo.png'] });
		const result = await runSeedance(sandbox, generateParameters({ ...TEN_SECONDS, inputMode: 'image', firstFrame: 'photo' }), {
			inputItems: [photo, photo, photo, photo],
		});
		expect(result.error?.message).toBe(
			'The team has 300 credits, but this run may cost up to 540 (estimate 200–540 for 4 items): 240 short',
		);
		expect(result.error?.description).toContain('switch off Options › Check Balance Before Submitting');
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
		expect(requestsTo(sandbox, 'POST', UPLOADS)).toHaveLength(0);
		expect(sandbox.credits).toBe(300);
	});

	it('with Continue On Fail, gives every item the refusal as its error and still sends nothing', async () => {
		sandbox.setOptions({ credits: 300 });
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS), {
			inputItems: prompts('one', '', 'three', 'four'),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(4);
		expect(result.items[1].json.error).toBe('Prompt is empty: write what the video should show');
		for (const index of [0, 2, 3]) {
			expect(result.items[index].json).toMatchObject({
				error: 'The team has 300 credits, but this run may cost up to 405 (estimate 150–405 for 3 items): 105 short',
				jobId: null,
				estimatedCredits: { low: 50, high: 135, exact: false },
			});
			expect(result.items[index].pairedItem).toEqual({ item: index });
		}
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
	});

	it('leaves the decision to Apiframe when the balance check is off', async () => {
		sandbox.setOptions({ credits: 150 });
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS, { checkBalance: false, concurrency: 1 }), {
			inputItems: prompts('one', 'two'),
			continueOnFail: true,
		});
		expect(requestsTo(sandbox, 'GET', /^\/v2\/me$/)).toHaveLength(0);
		expect(result.items[0].json.status).toBe('COMPLETED');
		expect(result.items[1].json).toMatchObject({ httpStatus: 402 });
	});

	it('submits as before when the catalogue cannot be read, and says why the estimate is missing', async () => {
		sandbox.faults.push({ method: 'GET', path: /^\/v2\/models$/, status: 404 });
		const result = await runSeedance(sandbox, generateParameters(TEN_SECONDS), { inputItems: prompts('one') });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			status: 'COMPLETED',
			creditCost: 100,
			estimatedCredits: null,
			estimateNote: expect.stringMatching(/^Apiframe's model catalogue could not be read: /),
		});
	});
});

/** Every parameter read of a run: n8n-core's ExecuteContext sends each through this one method. */
function readsOfParameters() {
	const prototype = ExecuteContext.prototype as unknown as { _getNodeParameter: (name: string, itemIndex: number) => unknown };
	return jest.spyOn(prototype, '_getNodeParameter');
}

describe('Video → Generate reading its parameters', () => {
	it('reads a parameter with an expression once per item and every other one once per run', async () => {
		const reads = readsOfParameters();
		const evaluations = jest.spyOn(ExecuteContext.prototype, 'evaluateExpression');
		try {
			const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: false }), {
				inputItems: prompts('One', 'Two', 'Three'),
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(3);
			const count = (name: string) => reads.mock.calls.filter(([parameter]) => parameter === name).length;
			expect(count('prompt')).toBe(3);
			for (const name of ['model', 'inputMode', 'videoSettings', 'options', 'waitForCompletion', 'downloadVideo']) {
				expect([name, count(name)]).toEqual([name, 1]);
			}
			expect(evaluations.mock.calls.length).toBeLessThanOrEqual(1);
		} finally {
			reads.mockRestore();
			evaluations.mockRestore();
		}
	});

	it('reads an options collection holding an expression once per item', async () => {
		const reads = readsOfParameters();
		try {
			const result = await runSeedance(
				sandbox,
				generateParameters({ waitForCompletion: false }, { idempotencyKey: '={{ "key-" + $json.prompt }}' }),
				{ inputItems: prompts('One', 'Two') },
			);
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.idempotencyKey)).toEqual(['key-One', 'key-Two']);
			// Item 0's options serve the run-wide settings too.
			expect(reads.mock.calls.filter(([parameter]) => parameter === 'options').map(([, itemIndex]) => itemIndex)).toEqual([0, 1]);
		} finally {
			reads.mockRestore();
		}
	});
});

describe('Video → Generate reading its credential', () => {
	it('reads the Base URL from the credential once per run, not once per request', async () => {
		const prototype = ExecuteContext.prototype as unknown as { getCredentials: (type: string) => Promise<unknown> };
		const reads = jest.spyOn(prototype, 'getCredentials');
		try {
			const result = await runSeedance(sandbox, generateParameters({ waitForCompletion: false }), {
				inputItems: prompts('One', 'Two', 'Three', 'Four'),
			});
			expect(result.error).toBeUndefined();
			const requests = sandbox.requests.length;
			expect(requests).toBeGreaterThanOrEqual(5);
			// n8n reads it once per request to authenticate it; the node itself once.
			expect(reads.mock.calls.length).toBe(requests + 1);
		} finally {
			reads.mockRestore();
		}
	});
});

describe('Video → Generate polling while it still submits', () => {
	const DOWNLOADS = /^(?!\/v2\/)/;
	const slowSubmits = (delayMs: number, times: number) =>
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', delayMs, times });

	it('downloads the first videos before the last item is submitted', async () => {
		sandbox.setOptions({ queueMs: 0, processingMs: 100 });
		slowSubmits(600, 4);
		const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 1, pollInterval: 1 }), {
			inputItems: prompts('a', 'b', 'c', 'd'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
		expect(result.items.map((item) => item.json.promptSent)).toEqual(['a', 'b', 'c', 'd']);
		const submits = requestsTo(sandbox, 'POST', POSTS).map((request) => Date.parse(request.time));
		const downloads = requestsTo(sandbox, 'GET', DOWNLOADS).map((request) => Date.parse(request.time));
		expect(submits).toHaveLength(4);
		expect(downloads).toHaveLength(4);
		// One submit at a time, 600 ms each: the first job is done long before the fourth is sent.
		expect(Math.min(...downloads)).toBeLessThan(Math.max(...submits));
	});

	it('stops polling and downloading once a failed submit has failed the run', async () => {
		sandbox.setOptions({ queueMs: 0, processingMs: 1500 });
		slowSubmits(400, 2);
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 400, body: { error: 'prompt refused' } });
		const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 1, pollInterval: 1 }), {
			inputItems: prompts('a', 'b', 'c', 'd'),
		});
		const [first, second] = sandbox.jobs.list().map((job) => job.id).sort();
		expect(sandbox.jobs.list()).toHaveLength(2);
		expect(result.error?.description).toContain('item 2: not submitted');
		for (const jobId of [first, second]) expect(result.error?.description).toContain(`job ${jobId}`);
		// The two jobs finish after the run has failed: nothing reads or downloads them.
		const seen = sandbox.requests.length;
		await new Promise((resolve) => setTimeout(resolve, 2500));
		expect(sandbox.requests.slice(seen)).toEqual([]);
		expect(requestsTo(sandbox, 'GET', DOWNLOADS)).toEqual([]);
	});

	it('counts the timeout from the last submit, not from the first', async () => {
		sandbox.setOptions({ queueMs: 0, processingMs: 12_000 });
		slowSubmits(0, 1);
		slowSubmits(6000, 1);
		const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 1, pollInterval: 1, timeout: 10 }), {
			inputItems: prompts('a', 'b'),
			continueOnFail: true,
		});
		// The first job is done 12 s after its submit, 6 s after the second's: within the 10 s the
		// wait has from the last submit. The second would need 12 s from its own.
		expect(result.items[0].json.status).toBe('COMPLETED');
		expect(result.items[1].json.error).toMatch(/^Timed out after 10 s waiting for Seedance job/);
	}, 40_000);

	it('stops submitting once a poll has failed the run, naming the jobs it had sent', async () => {
		sandbox.setOptions({ queueMs: 0, processingMs: 60_000 });
		slowSubmits(300, 8);
		// The Base URL: the sandbox, except that the job list redirects to another host.
		const elsewhere = await new StandInHost('127.0.0.2', answerOk).start();
		const baseUrl = await new StandInHost('127.0.0.1', (request, response) => {
			const url = request.url ?? '/';
			if (request.method === 'GET' && url.startsWith('/v2/jobs?')) {
				request.resume();
				response.writeHead(302, { location: `${elsewhere.origin}${url}` });
				response.end();
				return;
			}
			const upstream = httpRequest(`${sandbox.url}${url}`, { method: request.method, headers: request.headers }, (answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			});
			request.pipe(upstream);
		}).start();
		try {
			const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 1, pollInterval: 1 }), {
				inputItems: prompts(...Array.from({ length: 8 }, (_, i) => `Row ${i}`)),
				credentials: { seedanceApi: { apiKey: sandbox.apiKey, baseUrl: baseUrl.origin } },
			});
			expect(result.error?.message).toContain(`to another host, ${elsewhere.host}`);
			// The first poll (three jobs in, at 300 ms a submit) read the list; the submit running
			// then was the last.
			const sent = sandbox.jobs.list();
			expect(sent.length).toBeGreaterThanOrEqual(3);
			expect(sent.length).toBeLessThan(8);
			for (const job of sent) expect(result.error?.description).toContain(`job ${job.id}`);
			expect(elsewhere.requests).toEqual([]);
		} finally {
			await baseUrl.close();
			await elsewhere.close();
		}
	});
});

/**
 * The most abort listeners any one signal with Node's default limit held at once while `run` ran.
 * Node warns past that limit ("MaxListenersExceededWarning: Possible EventTarget memory leak"):
 * n8n raises it on the execution's own signal, not on any the node makes for itself.
 */
async function mostAbortListeners(run: () => Promise<void>): Promise<number> {
	const { addEventListener, removeEventListener } = EventTarget.prototype;
	const live = new Map<EventTarget, Set<unknown>>();
	let most = 0;
	const add = jest.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (this: EventTarget, ...args) {
		const [type, listener] = args;
		if (type === 'abort' && this instanceof AbortSignal && !this.aborted && listener && getMaxListeners(this) === defaultMaxListeners) {
			const listeners = live.get(this) ?? new Set();
			live.set(this, listeners.add(listener));
			most = Math.max(most, listeners.size);
		}
		return addEventListener.apply(this, args);
	});
	const remove = jest.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (this: EventTarget, ...args) {
		const [type, listener] = args;
		if (type === 'abort') live.get(this)?.delete(listener);
		return removeEventListener.apply(this, args);
	});
	try {
		await run();
	} finally {
		add.mockRestore();
		remove.mockRestore();
	}
	return most;
}

describe('Video → Generate with many requests at once', () => {
	it('never gathers more abort listeners on a signal of its own than Node allows, however many requests run at once', async () => {
		sandbox.setOptions({ queueMs: 0, processingMs: 300 });
		sandbox.faults.push({ method: 'POST', path: '/v2/videos/generate', status: 503, times: 12 });
		const most = await mostAbortListeners(async () => {
			const result = await runSeedance(sandbox, generateParameters({}, { concurrency: 20, pollInterval: 1 }), {
				inputItems: prompts(...Array.from({ length: 40 }, (_, i) => `Row ${i}`)),
			});
			expect(result.error).toBeUndefined();
			expect(result.items.filter((item) => item.binary?.data)).toHaveLength(40);
		});
		expect(most).toBeGreaterThan(0);
		expect(most).toBeLessThanOrEqual(defaultMaxListeners);
	}, 30_000);
});
