import { createHash } from 'node:crypto';
import type { INodeExecutionData, INodeType, IWebhookFunctions } from 'n8n-workflow';

import { SeedanceApi } from '../../../../../../../credentials/SeedanceApi.credentials';
import { Seedance } from '../../../../../../../nodes/Seedance/Seedance.node';
import { readBinary, startWebhook, type WebhookHarness } from '../../../../../../harness';
import { signWebhookBody, type Sandbox } from '../../../../../../../sandbox';
import { generateParameters, prompts, requestsTo, runSeedance, SEEDANCE_TYPE, useSandbox } from '../../../../fixtures';

const sandboxOf = useSandbox({ webhookRetryDelaysMs: [] });
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const POSTS = /^\/v2\/videos\/generate$/;
const JOB_READS = /^\/v2\/jobs\/[^/]+$/;
const ANY_JOB_READ = /^\/v2\/jobs(\/[^/]+)?$/;

function callbackParameters(options: Record<string, unknown> = {}) {
	return generateParameters({ waitMethod: 'callback' }, { timeout: 60, ...options });
}

type Item = INodeExecutionData & { json: Record<string, any> };

/** Runs Generate in callback mode and returns the execution-stack entry n8n would persist. */
async function sleepingRun(...texts: string[]) {
	const result = await runSeedance(sandbox, callbackParameters(), { inputItems: prompts(...texts), mode: 'webhook' });
	const stack = result.run.data.executionData?.nodeExecutionStack ?? [];
	return { result, stackItems: (stack[0]?.data.main[0] ?? []) as Item[] };
}

/**
 * The Seedance node as n8n's waiting-webhook resume calls it: WebhookContext takes its input from
 * the execution-stack entry (nodeExecutionStack[0].data.main[0]); the harness builds it from the
 * request instead, so the entry's items are put where n8n puts them.
 */
function resumingSeedance(stackItems: INodeExecutionData[]): INodeType {
	const seedance = new Seedance().getNodeType(1);
	const webhook = seedance.webhook;
	if (!webhook) throw new Error('Seedance version 1 has no webhook()');
	const type = Object.create(seedance) as INodeType;
	type.webhook = async function (this: IWebhookFunctions) {
		(this as unknown as { connectionInputData: INodeExecutionData[] }).connectionInputData = structuredClone(stackItems);
		return await webhook.call(this);
	};
	return type;
}

async function startResume(stackItems: INodeExecutionData[]): Promise<WebhookHarness> {
	return await startWebhook({
		nodeType: resumingSeedance(stackItems),
		typeName: SEEDANCE_TYPE,
		parameters: callbackParameters(),
		credentialTypes: [new SeedanceApi()],
		credentials: { seedanceApi: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } },
		executionId: 'waiting-execution',
	});
}

function signed(payload: unknown, apiKey = sandbox.apiKey) {
	const body = JSON.stringify(payload);
	return {
		body,
		headers: { 'content-type': 'application/json', 'x-webhook-signature': signWebhookBody(body, apiKey) },
	};
}

function event(jobId: string, kind: 'completed' | 'failed' | 'progress' = 'completed') {
	return { event: kind, jobId, status: kind === 'progress' ? 'PROCESSING' : kind.toUpperCase(), progress: 50 };
}

async function jobStatus(jobId: string): Promise<string> {
	const response = await fetch(`${sandbox.url}/v2/jobs/${jobId}`, { headers: { 'x-api-key': sandbox.apiKey } });
	return ((await response.json()) as { status: string }).status;
}

async function waitFinished(jobIds: string[]) {
	for (let i = 0; i < 200; i++) {
		const statuses = await Promise.all(jobIds.map(jobStatus));
		if (statuses.every((status) => status === 'COMPLETED' || status === 'FAILED')) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error('The jobs did not finish');
}

function sha256(buffer: Buffer) {
	return createHash('sha256').update(buffer).digest('hex');
}

describe('Video → Generate, Wait Method › Sleep Until Apiframe Calls Back', () => {
	let hook: WebhookHarness | undefined;
	afterEach(async () => {
		await hook?.close();
		hook = undefined;
	});

	it('rejects a Notify Webhook URL in callback mode, naming both fields, before anything is billed', async () => {
		const result = await runSeedance(sandbox, callbackParameters({ notifyWebhookUrl: 'https://example.com/hook' }), {
			inputItems: prompts('One'),
		});
		expect(result.error?.message).toBe(
			'Options › Notify Webhook URL cannot be used with Wait Method › Sleep Until Apiframe Calls Back',
		);
		expect(result.error?.description).toContain('Nothing was sent to Apiframe');
		expect(requestsTo(sandbox, 'POST', POSTS)).toHaveLength(0);
	});

	it('sends the resume URL with every job and sleeps with the run state in the stack entry', async () => {
		const { result, stackItems } = await sleepingRun('[sandbox:slow=3000] A', '[sandbox:slow=3000] B');
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('waiting');
		expect(result.run.waitTill?.getTime()).toBeGreaterThan(Date.now() + 50_000);

		const posts = requestsTo(sandbox, 'POST', POSTS);
		expect(posts).toHaveLength(2);
		for (const post of posts) {
			const body = post.body as { webhookUrl: string; webhookEvents: string[] };
			expect(body.webhookUrl).toMatch(/^http:\/\/localhost:5678\/webhook-waiting\/[^/?]+\?signature=[^&]+$/);
			expect(body.webhookEvents).toEqual(['completed', 'failed']);
		}
		// One read per job right before sleeping, no polling.
		expect(requestsTo(sandbox, 'GET', JOB_READS)).toHaveLength(2);

		expect(stackItems).toHaveLength(2);
		expect(stackItems.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of stackItems.entries()) {
			expect(item.json).toMatchObject({
				jobId: expect.any(String),
				status: expect.stringMatching(/^(QUEUED|PROCESSING)$/),
				idempotencyKey: expect.stringMatching(/^n8n-seedance:/),
				error: expect.stringMatching(/^Timed out after 60 s waiting for Apiframe's callback for job \S+ \(last seen (QUEUED|PROCESSING)\)\. The job keeps running; pick it up with Job → Get\.$/),
				seedanceCallback: { version: 1, kind: 'submitted', itemIndex: index, jobId: item.json.jobId },
			});
		}
		// What the node returned (and a timeout resume passes on) is that same state.
		expect(result.items.map((item) => item.json.jobId)).toEqual(stackItems.map((item) => item.json.jobId));
	});

	it('finishes at once, without sleeping, when every job is done before the check', async () => {
		// The pre-sleep read answers late enough for the fast job to have finished.
		sandbox.setOptions({ queueMs: 10, processingMs: 10 });
		sandbox.faults.push({ method: 'GET', path: JOB_READS, delayMs: 300 });
		const result = await runSeedance(sandbox, callbackParameters(), { inputItems: prompts('Quick') });
		sandbox.setOptions({ queueMs: 100, processingMs: 900 });
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ status: 'COMPLETED', error: null });
		expect(result.items[0].binary?.data.mimeType).toBe('video/mp4');
	});

	it('rejects a callback with a wrong signature and does not resume', async () => {
		const { stackItems } = await sleepingRun('[sandbox:slow=2000] A');
		hook = await startResume(stackItems);
		const jobId = stackItems[0].json.jobId as string;
		const bad = signed(event(jobId), 'afk_someone_else');
		const response = await hook.request({ body: bad.body, headers: bad.headers });
		expect(response.response.statusCode).toBe(401);
		expect(response.response.json()).toEqual({ error: 'Invalid X-Webhook-Signature' });
		expect(response.webhookResult?.workflowData).toBeUndefined();

		const missing = await hook.request({ body: event(jobId) });
		expect(missing.response.statusCode).toBe(401);
		expect(missing.webhookResult?.workflowData).toBeUndefined();
	});

	it('ignores progress events and jobs of other runs', async () => {
		const { stackItems } = await sleepingRun('[sandbox:slow=2000] A');
		hook = await startResume(stackItems);
		const progress = signed(event(stackItems[0].json.jobId as string, 'progress'));
		const first = await hook.request(progress);
		expect(first.response.statusCode).toBe(200);
		expect(first.webhookResult?.workflowData).toBeUndefined();

		const other = signed(event('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b'));
		const second = await hook.request(other);
		expect(second.response.statusCode).toBe(200);
		expect(second.response.json()).toMatchObject({ ignored: 'job 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b is not part of this run' });
		expect(second.webhookResult?.workflowData).toBeUndefined();
	});

	it('acknowledges a signed callback it cannot read as a job event, and keeps waiting', async () => {
		const { stackItems } = await sleepingRun('[sandbox:slow=2000] A');
		hook = await startResume(stackItems);
		const unknownEvent = await hook.request(signed({ event: 'job.expired', jobId: stackItems[0].json.jobId }));
		const noJob = await hook.request(signed({ event: 'completed' }));
		expect([unknownEvent.response.statusCode, noJob.response.statusCode]).toEqual([200, 200]);
		expect(unknownEvent.response.json()).toEqual({ received: true, ignored: 'not a job event: "job.expired" is not an event the node knows' });
		expect(noJob.response.json()).toEqual({ received: true, ignored: 'not a job event: it has no jobId' });
		expect([unknownEvent.webhookResult?.workflowData, noJob.webhookResult?.workflowData]).toEqual([undefined, undefined]);
	});

	it('resumes on a signed callback shaped as the SDK types it: type, not event', async () => {
		const { stackItems } = await sleepingRun('B');
		const jobId = stackItems[0].json.jobId as string;
		await waitFinished([jobId]);
		hook = await startResume(stackItems);
		const result = await hook.request(signed({ type: 'completed', jobId }));
		expect(result.response.json()).toEqual({ received: true, resumed: true });
		expect(result.webhookResult?.workflowData?.[0]).toHaveLength(1);
	});

	it('stays waiting while another job of the run is unfinished, then resumes with every item and video', async () => {
		const texts = ['Fast one', '[sandbox:fail=bad luck] Failing one', '[sandbox:slow=4000] Slow one'];
		const { stackItems } = await sleepingRun(...texts);
		const jobIds = stackItems.map((item) => item.json.jobId as string);
		hook = await startResume(stackItems);

		await waitFinished(jobIds.slice(0, 2));
		const early = await hook.request(signed(event(jobIds[0])));
		expect(early.response.statusCode).toBe(200);
		expect(early.response.json()).toEqual({ received: true, resumed: false });
		expect(early.webhookResult?.workflowData).toBeUndefined();

		await waitFinished(jobIds);
		const readsBefore = requestsTo(sandbox, 'GET', ANY_JOB_READ).length;
		// The failed job's callback arrives last: any job's callback can end the run.
		const last = await hook.request(signed(event(jobIds[1], 'failed')));
		expect(last.response.statusCode).toBe(200);
		expect(last.response.json()).toEqual({ received: true, resumed: true });
		expect(last.respondedByNode).toBe(true);
		expect(last.webhookResult?.noWebhookResponse).toBe(true);

		const items = (last.webhookResult?.workflowData?.[0] ?? []) as Item[];
		expect(items).toHaveLength(3);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items.map((item) => item.json.jobId)).toEqual(jobIds);
		// The prompt as sent survives the sleep in each saved output.
		expect(stackItems.map((item) => item.json.promptSent)).toEqual(texts);
		expect(items.map((item) => item.json.promptSent)).toEqual(texts);
		for (const index of [0, 2]) {
			expect(items[index].json).toMatchObject({ status: 'COMPLETED', error: null, idempotencyKey: expect.stringMatching(/^n8n-seedance:/) });
			expect(items[index].json.seedanceCallback).toBeUndefined();
			// The estimate made before sleeping comes out beside the charge.
			const charged = sandbox.jobs.get(jobIds[index])!.creditCost;
			const estimated = items[index].json.estimatedCredits as { low: number; high: number };
			expect(items[index].json.creditCost).toBe(charged);
			expect([estimated.low <= charged, estimated.high >= charged]).toEqual([true, true]);
			expect(sha256(await readBinary(items[index].binary!.data))).toBe(await sandbox.videoSha256(jobIds[index]));
		}
		expect(items[1].json).toMatchObject({
			status: 'FAILED',
			jobId: jobIds[1],
			error: `Seedance job ${jobIds[1]} failed: bad luck`,
		});
		expect(items[1].binary).toBeUndefined();
		// The wake-up read the run's three jobs once, through one page of the job list.
		expect(requestsTo(sandbox, 'GET', ANY_JOB_READ).slice(readsBefore).map((r) => r.path)).toEqual(['/v2/jobs']);
	});

	it('resumes a run that was put to sleep before its state had a version', async () => {
		const { stackItems } = await sleepingRun('Fast one', 'Fast two');
		const jobIds = stackItems.map((item) => item.json.jobId as string);
		const unversioned = stackItems.map((item) => {
			const { run, itemIndex, jobId, idempotencyKey } = item.json.seedanceCallback;
			return { ...item, json: { ...item.json, seedanceCallback: { itemIndex, jobId, status: item.json.status, idempotencyKey, run } } };
		});
		hook = await startResume(unversioned);
		await waitFinished(jobIds);
		const last = await hook.request(signed(event(jobIds[1])));
		expect(last.response.json()).toEqual({ received: true, resumed: true });
		const items = (last.webhookResult?.workflowData?.[0] ?? []) as Item[];
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ jobId: jobIds[0], status: 'COMPLETED', error: null }),
			expect.objectContaining({ jobId: jobIds[1], status: 'COMPLETED', error: null }),
		]);
		expect(items.every((item) => item.binary?.data.mimeType === 'video/mp4')).toBe(true);
	});

	it('resumes a run whose saved state it cannot read with an error naming every job', async () => {
		const { stackItems } = await sleepingRun('[sandbox:slow=2000] A', '[sandbox:slow=2000] B');
		const jobIds = stackItems.map((item) => item.json.jobId as string);
		const later = stackItems.map((item) => ({
			...item,
			json: { ...item.json, seedanceCallback: { ...item.json.seedanceCallback, version: 99 } },
		}));
		hook = await startResume(later);
		const other = await hook.request(signed(event('6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b')));
		expect(other.response.json()).toMatchObject({ ignored: 'job 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b is not part of this run' });

		const resumed = await hook.request(signed(event(jobIds[0])));
		expect(resumed.response.json()).toEqual({ received: true, resumed: true });
		const items = (resumed.webhookResult?.workflowData?.[0] ?? []) as Item[];
		expect(items).toHaveLength(2);
		for (const [index, item] of items.entries()) {
			expect(item.json).toMatchObject({
				jobId: jobIds[index],
				error: 'The Seedance node cannot read the state this waiting run saved (version 99), so it cannot finish the run',
				errorDescription: `Its jobs keep running on Apiframe: pick them up with Job → Get. Job IDs: ${jobIds.join(', ')}`,
			});
			expect(item.json.seedanceCallback).toBeUndefined();
		}
	});

	it('declares the resume webhook a lifecycle that registers nothing and calls nobody', async () => {
		hook = await startWebhook({
			nodeType: new Seedance(),
			typeName: SEEDANCE_TYPE,
			parameters: callbackParameters(),
			credentialTypes: [new SeedanceApi()],
			credentials: { seedanceApi: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } },
		});
		const before = sandbox.requests.length;
		await expect(hook.runWebhookMethod('checkExists')).resolves.toBe(true);
		await expect(hook.runWebhookMethod('create')).resolves.toBe(true);
		await expect(hook.runWebhookMethod('delete')).resolves.toBe(true);
		expect(sandbox.requests.length).toBe(before);
	});
});
