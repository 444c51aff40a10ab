import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { createHash } from 'node:crypto';

import { SeedanceApi } from '../../../../credentials/SeedanceApi.credentials';
import { SeedanceTrigger } from '../../../../nodes/Seedance/SeedanceTrigger.node';
import { readBinary, startWebhook, type WebhookHarness } from '../../../harness';
import type { Sandbox } from '../../../../sandbox';
import { signWebhookBody } from '../../../../sandbox/webhooks/sign';
import { generateParameters, prompts, runSeedance, useSandbox } from '../fixtures';
import { answerOk, StandInHost } from '../standInHosts';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

async function startTrigger(parameters: Record<string, unknown> = {}, apiKey?: string): Promise<WebhookHarness> {
	return await startWebhook({
		nodeType: new SeedanceTrigger(),
		typeName: 'n8n-nodes-seedance.seedanceTrigger',
		parameters: { events: ['completed', 'failed'], verifySignature: true, downloadVideo: true, refetchJob: false, options: {}, ...parameters },
		credentialTypes: [new SeedanceApi()],
		credentials: { seedanceApi: { apiKey: apiKey ?? sandbox.apiKey, baseUrl: sandbox.url } },
	});
}

async function settled(hook: WebhookHarness, count: number) {
	for (let i = 0; i < 200 && hook.calls.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 25));
	expect(hook.calls).toHaveLength(count);
	return hook.calls[count - 1];
}

function startedItems(call: { webhookResult?: { workflowData?: unknown[][] } }) {
	return (call.webhookResult?.workflowData?.[0] ?? []) as Array<{ json: Record<string, unknown>; binary?: Record<string, any> }>;
}

function completedEvent(jobId: string): Record<string, unknown> {
	return {
		event: 'completed',
		jobId,
		status: 'COMPLETED',
		progress: 100,
		result: { videoUrl: `${sandbox.url}/files/${jobId}.mp4` },
		model: 'seedance-2',
		creditCost: 60,
		completedAt: new Date().toISOString(),
	};
}

describe('Seedance Trigger receiving Apiframe webhooks', () => {
	let hook: WebhookHarness;
	afterEach(async () => hook?.close());

	it('starts a workflow with the job and its video when a job submitted with Notify Webhook URL completes', async () => {
		hook = await startTrigger();
		const submitted = await runSeedance(
			sandbox,
			generateParameters({ waitForCompletion: false }, { notifyWebhookUrl: hook.webhookUrl() }),
			{ inputItems: prompts('Notify me') },
		);
		const jobId = submitted.items[0].json.jobId as string;
		const call = await settled(hook, 1);
		expect(call.respondedByNode).toBe(true);
		const [item] = startedItems(call);
		expect(item.json).toMatchObject({ event: 'completed', jobId, status: 'COMPLETED', videoUrl: expect.stringContaining(jobId) });
		expect(item.json).toMatchObject({
			creditCost: sandbox.jobs.get(jobId)!.creditCost,
			estimatedCredits: null,
			estimateNote: "The event does not carry the job's request: turn on Re-Read Job for its estimate",
		});
		const bytes = await readBinary(item.binary!.data);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sandbox.videoSha256(jobId));
		expect(sandbox.webhookDeliveries.filter((delivery) => !delivery.manual)).toEqual([
			expect.objectContaining({ jobId, event: 'completed', statusCode: 200 }),
		]);
	});

	it('re-reads the job when asked, for the authoritative record', async () => {
		hook = await startTrigger({ refetchJob: true, downloadVideo: false });
		const submitted = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('done') });
		const jobId = submitted.items[0].json.jobId as string;
		await sandbox.sendWebhook(hook.webhookUrl(), { ...completedEvent(jobId), creditCost: 1 });
		const [item] = startedItems(await settled(hook, 1));
		const charged = sandbox.jobs.get(jobId)!.creditCost;
		expect(item.json.creditCost).toBe(charged);
		expect(item.json.job).toMatchObject({ id: jobId, input: expect.any(Object) });
		// The re-read job holds its request, so its estimate comes beside its charge.
		const estimated = item.json.estimatedCredits as { low: number; high: number };
		expect(estimated.low).toBeLessThanOrEqual(charged);
		expect(estimated.high).toBeGreaterThanOrEqual(charged);
		expect(item.binary).toBeUndefined();
	});

	it('answers 401 and starts nothing for a tampered body, a wrong key or no signature', async () => {
		hook = await startTrigger({ downloadVideo: false });
		const event = completedEvent('9b2f2c1e-0000-4000-8000-000000000001');
		const tampered = await sandbox.sendWebhook(hook.webhookUrl(), event, {
			rawBody: JSON.stringify({ ...event, creditCost: 0 }),
			signature: `sha256=${createHash('sha256').update('x').digest('hex')}`,
		});
		const wrongKey = await sandbox.sendWebhook(hook.webhookUrl(), event, { apiKey: 'afk_someone_else' });
		const unsigned = await sandbox.sendWebhook(hook.webhookUrl(), event, { signature: null });
		expect([tampered.statusCode, wrongKey.statusCode, unsigned.statusCode]).toEqual([401, 401, 401]);
		expect(JSON.parse(unsigned.body)).toEqual({ error: 'Missing X-Webhook-Signature' });
		await settled(hook, 3);
		expect(hook.calls.every((call) => !call.webhookResult?.workflowData)).toBe(true);
	});

	it('accepts the hex-key reading of the signature too', async () => {
		sandbox.setOptions({ webhookSigningKey: 'hex' });
		hook = await startTrigger({ downloadVideo: false });
		const result = await sandbox.sendWebhook(hook.webhookUrl(), completedEvent('9b2f2c1e-0000-4000-8000-000000000002'));
		sandbox.setOptions({ webhookSigningKey: 'digest' });
		expect(result.statusCode).toBe(200);
		expect(startedItems(await settled(hook, 1))).toHaveLength(1);
	});

	it('acknowledges a replayed delivery without starting a second execution', async () => {
		hook = await startTrigger({ downloadVideo: false });
		const event = completedEvent('9b2f2c1e-0000-4000-8000-000000000003');
		const first = await sandbox.sendWebhook(hook.webhookUrl(), event);
		const second = await sandbox.sendWebhook(hook.webhookUrl(), event);
		expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
		expect(JSON.parse(second.body)).toEqual({ received: true, duplicate: true });
		await settled(hook, 2);
		expect(hook.calls.map((call) => startedItems(call).length)).toEqual([1, 0]);
	});

	it('keeps version 1 for saved workflows and gives new ones version 2', () => {
		const { version, defaultVersion } = new SeedanceTrigger().description;
		expect({ version, defaultVersion }).toEqual({ version: [1, 2], defaultVersion: 2 });
	});

	// n8n reads the body of a request to a webhook node of version 2 only for the content types it
	// parses; the signature is over the bytes, so the node has them read for any other type.
	it.each([
		['application/octet-stream', { 'content-type': 'application/octet-stream' }],
		['no Content-Type at all', {}],
	])('verifies and starts a signed delivery sent as %s', async (_label, headers: Record<string, string>) => {
		hook = await startTrigger({ downloadVideo: false });
		const jobId = '9b2f2c1e-0000-4000-8000-000000000004';
		const rawBody = JSON.stringify(completedEvent(jobId));
		const res = await fetch(hook.webhookUrl(), {
			method: 'POST',
			headers: { ...headers, 'x-webhook-signature': signWebhookBody(rawBody, sandbox.apiKey) },
			body: new TextEncoder().encode(rawBody),
		});
		expect([res.status, await res.json()]).toEqual([200, { received: true }]);
		const [item] = startedItems(await settled(hook, 1));
		expect(item.json).toMatchObject({ event: 'completed', jobId });
	});

	it('answers 422 to malformed JSON, as n8n does before the node runs', async () => {
		hook = await startTrigger();
		const malformed = await sandbox.sendWebhook(hook.webhookUrl(), null, { rawBody: '{"event":"completed",' });
		expect(malformed.statusCode).toBe(422);
		expect(hook.calls.every((call) => !call.webhookResult?.workflowData)).toBe(true);
	});

	describe('every shape of a signed job event', () => {
		const jobId = '9b2f2c1e-0000-4000-8000-0000000000a1';
		// Bodies are built per test: the sandbox's URL is known only once it runs.
		const shapes: Array<[string, () => Record<string, unknown>, string | null]> = [
			['the docs: event, and the X-Webhook-Event header', () => completedEvent(jobId), 'completed'],
			["the SDK's comment: type, no event", () => ({ ...completedEvent(jobId), event: undefined, type: 'completed' }), null],
			['the header alone', () => ({ ...completedEvent(jobId), event: undefined }), 'completed'],
			["the SDK's test: jobId and status only", () => ({ jobId, status: 'COMPLETED' }), null],
		];

		it.each(shapes)('starts the workflow for %s', async (_shape, bodyOf, header) => {
			const body = bodyOf();
			hook = await startTrigger({ downloadVideo: false });
			const result = await sandbox.sendWebhook(hook.webhookUrl(), body, { event: header });
			expect(result.statusCode).toBe(200);
			const [item] = startedItems(await settled(hook, 1));
			expect(item.json).toMatchObject({ event: 'completed', jobId, status: 'COMPLETED' });
			expect(item.json.webhook).toEqual(JSON.parse(JSON.stringify(body)));
		});
	});

	it('keeps the fields it does not know in the raw webhook payload', async () => {
		hook = await startTrigger({ downloadVideo: false });
		const event = { ...completedEvent('9b2f2c1e-0000-4000-8000-0000000000a2'), teamId: 'team-1', deliveryId: 7 };
		await sandbox.sendWebhook(hook.webhookUrl(), event);
		const [item] = startedItems(await settled(hook, 1));
		expect(item.json.webhook).toMatchObject({ teamId: 'team-1', deliveryId: 7 });
	});

	describe('a signed delivery the node cannot map', () => {
		const unmapped: Array<[string, unknown, string | null]> = [
			['an event name it does not know', { event: 'job.expired', jobId: '9b2f2c1e-0000-4000-8000-0000000000a3' }, 'job.expired'],
			['no job ID', { event: 'completed', status: 'COMPLETED' }, 'completed'],
			['no event at all', { hello: 'world' }, null],
		];

		it.each(unmapped)('is answered 200 and logged, starting nothing, for %s', async (_shape, body, header) => {
			const warn = jest.spyOn(Container.get(Logger), 'warn');
			try {
				hook = await startTrigger({ downloadVideo: false });
				const result = await sandbox.sendWebhook(hook.webhookUrl(), body, { event: header });
				expect(result.statusCode).toBe(200);
				expect(JSON.parse(result.body)).toEqual({ received: true, ignored: expect.stringContaining('not a job event the node knows') });
				expect(startedItems(await settled(hook, 1))).toHaveLength(0);
				expect(warn).toHaveBeenCalledWith(expect.stringContaining('a signed delivery was acknowledged and not passed on'), expect.any(Object));
			} finally {
				warn.mockRestore();
			}
		});

		it.each(unmapped)('starts the workflow with the raw body under Other Events, for %s', async (_shape, body, header) => {
			hook = await startTrigger({ events: ['completed', 'other'], downloadVideo: false });
			const result = await sandbox.sendWebhook(hook.webhookUrl(), body, { event: header });
			expect(result.statusCode).toBe(200);
			const [item] = startedItems(await settled(hook, 1));
			expect(item.json).toEqual({ event: header, unmapped: expect.any(String), webhook: body });
			const again = await sandbox.sendWebhook(hook.webhookUrl(), body, { event: header });
			expect(JSON.parse(again.body)).toEqual({ received: true, duplicate: true });
		});

		it('still answers 401 when it is not signed', async () => {
			hook = await startTrigger({ events: ['other'] });
			const result = await sandbox.sendWebhook(hook.webhookUrl(), { event: 'job.expired' }, { signature: null });
			expect(result.statusCode).toBe(401);
			expect(startedItems(await settled(hook, 1))).toHaveLength(0);
		});
	});

	it('answers 413 to an oversized body', async () => {
		hook = await startTrigger();
		const huge = { ...completedEvent('9b2f2c1e-0000-4000-8000-000000000004'), padding: 'x'.repeat(2 * 1024 * 1024) };
		const result = await sandbox.sendWebhook(hook.webhookUrl(), huge);
		expect(result.statusCode).toBe(413);
		await settled(hook, 1);
		expect(startedItems(hook.calls[0])).toHaveLength(0);
	});

	it('passes a failed job on with its error, and skips events that are not selected', async () => {
		hook = await startTrigger();
		const failed = await runSeedance(
			sandbox,
			generateParameters({ waitForCompletion: false }, { notifyWebhookUrl: hook.webhookUrl(), notifyEvents: ['progress', 'failed'] }),
			{ inputItems: prompts('no luck [sandbox:fail=Upstream refused]') },
		);
		const jobId = failed.items[0].json.jobId as string;
		for (let i = 0; i < 200 && !sandbox.webhookDeliveries.some((d) => d.event === 'failed'); i++) {
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		const started = hook.calls.flatMap(startedItems);
		expect(started).toHaveLength(1);
		expect(started[0].json).toMatchObject({ event: 'failed', jobId, status: 'FAILED', error: 'Upstream refused' });
		expect(started[0].binary).toBeUndefined();
		const progress = hook.calls.filter((call) => (call.request.body as { event?: string })?.event === 'progress');
		expect(progress.length).toBeGreaterThan(0);
		expect(progress.every((call) => startedItems(call).length === 0)).toBe(true);
		const progressDeliveries = sandbox.webhookDeliveries.filter((delivery) => delivery.event === 'progress');
		expect(progressDeliveries.length).toBeGreaterThan(0);
		expect(progressDeliveries.every((delivery) => delivery.statusCode === 200)).toBe(true);
	});

	it('does no remote work to register the webhook', async () => {
		hook = await startTrigger();
		const before = sandbox.requests.length;
		await expect(hook.runWebhookMethod('checkExists')).resolves.toBe(true);
		await expect(hook.runWebhookMethod('create')).resolves.toBe(true);
		await expect(hook.runWebhookMethod('delete')).resolves.toBe(true);
		expect(sandbox.requests.length).toBe(before);
	});
});

describe('what the Seedance Trigger trusts', () => {
	let hook: WebhookHarness;
	/** An internal host an unsigned body might point at: nothing may ever reach it. */
	const internal = new StandInHost('127.0.0.2', answerOk);
	beforeAll(async () => await internal.start());
	afterAll(async () => await internal.close());
	beforeEach(() => {
		internal.requests.length = 0;
	});
	afterEach(async () => hook?.close());

	it('lets the signed body decide the event: a header cannot turn progress into a completion, or drop the real one', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		try {
			hook = await startTrigger({ downloadVideo: false });
			const jobId = '9b2f2c1e-0000-4000-8000-0000000000b1';
			const spoof = await sandbox.sendWebhook(hook.webhookUrl(), { jobId, status: 'PROCESSING', progress: 40 }, { event: 'completed' });
			expect(JSON.parse(spoof.body)).toEqual({ received: true, ignored: 'event "progress" is not selected' });
			expect(warn).toHaveBeenCalledWith(expect.stringContaining('X-Webhook-Event said "completed" but the body'), expect.any(Object));
			const genuine = await sandbox.sendWebhook(hook.webhookUrl(), completedEvent(jobId));
			expect(JSON.parse(genuine.body)).toEqual({ received: true });
			await settled(hook, 2);
			expect(hook.calls.map((call) => startedItems(call).length)).toEqual([0, 1]);
			expect(startedItems(hook.calls[1])[0].json).toMatchObject({ event: 'completed', jobId });
		} finally {
			warn.mockRestore();
		}
	});

	it('downloads nothing an unverified body names, and says why', async () => {
		hook = await startTrigger({ verifySignature: false });
		const jobId = '9b2f2c1e-0000-4000-8000-0000000000b2';
		const body = { ...completedEvent(jobId), result: { videoUrl: `${internal.origin}/secret` } };
		await sandbox.sendWebhook(hook.webhookUrl(), body, { signature: null });
		const [item] = startedItems(await settled(hook, 1));
		expect(item.json).toMatchObject({ event: 'completed', jobId, downloadSkipped: expect.stringContaining('Verify Signature is off') });
		expect(item.binary).toBeUndefined();
		expect(internal.requests).toEqual([]);
	});

	it("with Re-Read Job, downloads what Apiframe's record names instead", async () => {
		hook = await startTrigger({ verifySignature: false, refetchJob: true });
		const submitted = await runSeedance(sandbox, generateParameters(), { inputItems: prompts('re-read me') });
		const jobId = submitted.items[0].json.jobId as string;
		const body = { ...completedEvent(jobId), result: { videoUrl: `${internal.origin}/secret` } };
		await sandbox.sendWebhook(hook.webhookUrl(), body, { signature: null });
		const [item] = startedItems(await settled(hook, 1));
		expect(item.json.downloadSkipped).toBeUndefined();
		expect(createHash('sha256').update(await readBinary(item.binary!.data)).digest('hex')).toBe(await sandbox.videoSha256(jobId));
		expect(internal.requests).toEqual([]);
	});

	it('hands the event on without a download when the re-read fails', async () => {
		hook = await startTrigger({ verifySignature: false, refetchJob: true });
		const jobId = '9b2f2c1e-0000-4000-8000-0000000000b3';
		await sandbox.sendWebhook(hook.webhookUrl(), { ...completedEvent(jobId), result: { videoUrl: `${internal.origin}/secret` } }, { signature: null });
		const [item] = startedItems(await settled(hook, 1));
		expect(item.json).toMatchObject({ jobId, refetchError: expect.any(String), downloadSkipped: expect.stringContaining('could not be read') });
		expect(item.binary).toBeUndefined();
		expect(internal.requests).toEqual([]);
	});

	it('refuses a jobId that is not an Apiframe job ID before reading or remembering it', async () => {
		hook = await startTrigger({ verifySignature: false, refetchJob: true });
		const before = sandbox.requests.length;
		const result = await sandbox.sendWebhook(hook.webhookUrl(), { event: 'completed', jobId: '../me', status: 'COMPLETED' }, { signature: null });
		expect(JSON.parse(result.body)).toEqual({ received: true, ignored: expect.stringContaining('its jobId is not an Apiframe job ID') });
		expect(startedItems(await settled(hook, 1))).toHaveLength(0);
		expect(sandbox.requests.length).toBe(before);
	});

	it('refuses every delivery while the credential has an empty key, even one signed with it', async () => {
		hook = await startTrigger({ downloadVideo: false }, '');
		const result = await sandbox.sendWebhook(hook.webhookUrl(), completedEvent('9b2f2c1e-0000-4000-8000-0000000000b4'), { apiKey: '' });
		expect(result.statusCode).toBe(500);
		expect(JSON.parse(result.body)).toEqual({ error: 'The receiving credential has no API key: signatures cannot be verified' });
		expect(startedItems(await settled(hook, 1))).toHaveLength(0);
	});
});
