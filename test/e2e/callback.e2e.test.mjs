// @ts-check
// Video → Generate with Wait Method › Sleep Until Apiframe Calls Back, in real n8n 2.41.1: the
// packed package installed as a community package, the Apiframe sandbox as its own process
// calling n8n's resume URL (WEBHOOK_URL is n8n's own base URL, so the sandbox can reach it).
//
//   npx tsc -p tsconfig.json && npx gulp build:icons && node --test test/e2e/callback.e2e.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startN8n } from '../../scripts/n8n/instance.mjs';
import { npmPack } from '../../scripts/n8n/package.mjs';
import { SANDBOX_KEY, startSandboxProcess } from './support/sandbox-process.mjs';
import { batchWorkflow } from './support/workflows.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = '2.41.1';
const TIMEOUT_SECONDS = 10;

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
/** @type {Record<string, number>} */
const timings = {};
/**
 * @param {string} label
 * @param {number | undefined} ms undefined: the moment never came
 */
function timed(label, ms) {
	if (ms === undefined) {
		console.log(`timing ${label}: never`);
		return;
	}
	timings[label] = ms;
	console.log(`timing ${label}: ${secs(ms)}`);
}

/** @type {import('../../scripts/n8n/instance.mjs').N8nInstance} */
let n8n;
/** @type {import('./support/sandbox-process.mjs').SandboxProcess} */
let sandbox;
/** @type {{ id: string, name: string }} */
let credential;
/** @type {string} */
let packDir;

/** @param {string} executionId */
async function status(executionId) {
	try {
		return (await n8n.client.api('GET', `/executions/${executionId}`)).status;
	} catch (err) {
		if (err.status === 404) return 'new';
		throw err;
	}
}

/**
 * Manual → one item per prompt → Seedance, sleeping until Apiframe calls back.
 * @param {{ id: string, name: string }} credential
 * @param {string[]} prompts
 * @param {Record<string, unknown>} [options] the node's Options
 */
function workflow(credential, prompts, options = {}) {
	return batchWorkflow(`callback e2e ${crypto.randomUUID().slice(0, 8)}`, credential, prompts, {
		parameters: { waitMethod: 'callback' },
		options: { timeout: 120, ...options },
	});
}

/**
 * Runs the workflow; returns when it ends, with the time it spent waiting and its Seedance items.
 * @param {ReturnType<typeof workflow>} json
 * @param {{ timeoutMs?: number }} [options]
 */
async function run(json, { timeoutMs = 90000 } = {}) {
	const wf = await n8n.client.importWorkflow(json);
	const t0 = Date.now();
	const executionId = await n8n.client.runWorkflow(wf.id);
	let waitingAt;
	const seen = new Set();
	for (;;) {
		const s = await status(executionId);
		seen.add(s);
		if (s === 'waiting' && !waitingAt) waitingAt = Date.now();
		if (!['new', 'running', 'waiting'].includes(s)) break;
		if (Date.now() - t0 > timeoutMs) throw new Error(`execution ${executionId} still ${s}`);
		await sleep(100);
	}
	const execution = await n8n.client.getExecutionRest(executionId);
	const runs = execution.data.resultData.runData.Seedance ?? [];
	return {
		executionId,
		execution,
		seen,
		runs,
		items: /** @type {any[]} */ (runs.at(-1)?.data?.main?.[0] ?? []),
		waitingAfterMs: waitingAt ? waitingAt - t0 : undefined,
		totalMs: Date.now() - t0,
	};
}

/** @param {any[]} items the Seedance node's output items */
async function assertVideos(items) {
	for (const item of items) {
		assert.equal(item.json.status, 'COMPLETED', JSON.stringify(item.json));
		assert.equal(item.json.error, null);
		const got = await n8n.client.downloadBinary(item.binary.data);
		const expected = Buffer.from(await (await fetch(`${sandbox.url}/files/${item.json.jobId}.mp4`)).arrayBuffer());
		assert.ok(got.equals(expected), `video bytes of ${item.json.jobId}`);
	}
}

before(async () => {
	if (!fs.existsSync(path.join(ROOT, 'dist/nodes/Seedance/v1/actions/video/callback/handleCallback.js'))) {
		throw new Error('dist/ is stale: run npx tsc -p tsconfig.json && npx gulp build:icons');
	}
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-callback-e2e-'));
	let t0 = Date.now();
	const tarball = npmPack(ROOT, packDir);
	timed('npm pack', Date.now() - t0);
	sandbox = await startSandboxProcess({
		args: ['--queue-ms', '100', '--processing-ms', '900', '--video-bytes', String(256 * 1024)],
		tmpDir: packDir,
	});
	t0 = Date.now();
	// WEBHOOK_URL defaults to n8n's own base URL, which is what the sandbox calls back.
	n8n = await startN8n({ version: VERSION, communityPackage: tarball });
	timed('n8n start', Date.now() - t0);
	credential = await n8n.client.createCredential('seedanceApi', 'Sandbox', { apiKey: SANDBOX_KEY, baseUrl: sandbox.url });
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
	console.log(`timings ${JSON.stringify(timings)}`);
});

describe(`n8n ${VERSION}: Sleep Until Apiframe Calls Back`, { timeout: 10 * 60 * 1000 }, () => {
	test('(a) three jobs of different lengths: waiting, then success with every video', async () => {
		await sandbox.reset();
		const result = await run(workflow(credential, ['[sandbox:slow=1000] one', '[sandbox:slow=3000] two', '[sandbox:slow=5000] three']));
		timed('(a) saved as waiting after', result.waitingAfterMs);
		timed('(a) finished after', result.totalMs);
		assert.ok(result.seen.has('waiting'), `statuses seen: ${[...result.seen]}`);
		assert.equal(result.execution.status, 'success');
		assert.equal(result.items.length, 3);
		assert.deepEqual(result.items.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		await assertVideos(result.items);

		const requests = await sandbox.requests();
		const posts = requests.filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
		const resumeUrl = posts[0].body.webhookUrl;
		console.log(`resume URL sent to Apiframe: ${resumeUrl}`);
		assert.match(resumeUrl, new RegExp(`^${n8n.client.baseUrl}/webhook-waiting/${result.executionId}\\?signature=[0-9a-f-]+$`, 'i'));
		assert.ok(posts.every((p) => p.body.webhookUrl === resumeUrl));
		const deliveries = await sandbox.webhooks();
		console.log(`(a) callbacks: ${deliveries.map((d) => `${d.event}:${d.statusCode}`).join(', ')}`);
	});

	test('(b) a callback refused (409/5xx) before the execution sleeps still ends with every item', async () => {
		await sandbox.reset();
		// One pre-sleep read answers after 5 s: the fast job completes meanwhile, and every attempt of its
		// callback (0.5/1/2 s retries) hits n8n while the execution is still running.
		await sandbox.admin('POST', 'faults', { method: 'GET', pathRegex: '^/v2/jobs/', delayMs: 5000 });
		const result = await run(workflow(credential, ['fast', '[sandbox:slow=9000] slow']));
		timed('(b) saved as waiting after', result.waitingAfterMs);
		timed('(b) finished after', result.totalMs);
		const deliveries = await sandbox.webhooks();
		console.log(`(b) callbacks: ${deliveries.map((d) => `${d.jobId?.slice(-6)} ${d.event}:${d.statusCode}`).join(', ')}`);
		// n8n refuses callbacks for an execution that is still running: 409 once its data is saved; on
		// 2.41.1 a manual run's row has no data yet, so it answers 500 ("reading 'resumeToken'").
		const refused = deliveries.filter((d) => d.statusCode === 409 || (d.statusCode ?? 0) >= 500);
		assert.ok(refused.length > 0, 'a callback was refused while the execution was running');
		console.log(`(b) refused while running: ${refused.map((d) => d.statusCode).join(', ')}`);
		assert.equal(result.execution.status, 'success');
		assert.equal(result.items.length, 2);
		await assertVideos(result.items);
	});

	test('(c) timeout: a job slower than the timeout ends with its job ID, not silence', async () => {
		await sandbox.reset();
		const result = await run(
			workflow(credential, ['quick', '[sandbox:slow=600000] endless'], { timeout: TIMEOUT_SECONDS }),
			{ timeoutMs: 150000 },
		);
		timed('(c) saved as waiting after', result.waitingAfterMs);
		timed(`(c) ended after (timeout ${TIMEOUT_SECONDS} s)`, result.totalMs);
		assert.ok(result.seen.has('waiting'));
		assert.equal(result.execution.status, 'success');
		assert.equal(result.items.length, 2);
		const requests = await sandbox.requests();
		// The sandbox records requests without their answers, so these are undefined and the last check is skipped.
		const jobIds = requests
			.filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate')
			.map((r) => /** @type {any} */ (r).response?.body?.jobId);
		for (const [index, item] of result.items.entries()) {
			console.log(`(c) item ${index}: ${JSON.stringify({ jobId: item.json.jobId, status: item.json.status, error: item.json.error })}`);
			assert.match(item.json.jobId, /\S/);
			assert.match(item.json.error, new RegExp(`^Timed out after ${TIMEOUT_SECONDS} s waiting for Apiframe's callback for job ${item.json.jobId} `));
			assert.deepEqual(item.pairedItem, { item: index });
		}
		if (jobIds.every(Boolean)) assert.deepEqual(new Set(result.items.map((i) => i.json.jobId)), new Set(jobIds));
	});
});
