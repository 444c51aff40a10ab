// The package in n8n 2.41.1's queue mode: Postgres, Redis, a main process, two workers and two
// webhook processors (cluster.mjs), binary data in the database, against the Apiframe sandbox
// running as its own process. Every execution, manual ones included, runs on a worker; Apiframe's
// deliveries and callbacks go to the webhook processors. Figures are printed as `figure …` lines.
//
//   npm run build && node --test test/e2e/queue/

import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { npmPack } from '../../../scripts/n8n/package.mjs';
import { sampleRss } from '../support/rss-sampler.mjs';
import { digestStream, startSandboxProcess } from '../support/sandbox-process.mjs';
import { createWorkDir, removeAbandonedWorkDirs } from '../support/work-dir.mjs';
import { batchWorkflow, CREDENTIAL_TYPE, PKG, seedanceNode, singlePromptWorkflow, triggerWorkflow } from '../support/workflows.mjs';
import { startQueueCluster } from './cluster.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const BATCH_SIZE = 100;
/**
 * The batch as a team that runs one would have it: a balance that covers the run's upper estimate
 * (182,200 credits for 100 default rows), so that Check Balance Before Submitting (on by default)
 * lets it through, and Options › Max Credits for This Run set above that estimate.
 */
const BATCH_TEAM_CREDITS = 250000;
const BATCH_MAX_CREDITS = 200000;
const BIG_VIDEO_BYTES = 300 * 1024 * 1024;
const CONCURRENT_DELIVERIES = 10;

const secs = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (/** @type {number} */ kb) => `${(kb / 1024).toFixed(0)} MB`;
/** @type {Record<string, string | number>} */
const figures = {};
function figure(/** @type {string} */ label, /** @type {string | number} */ value) {
	figures[label] = value;
	console.log(`figure ${label}: ${value}`);
}

/** @type {string} */
let workDir;
/** @type {Awaited<ReturnType<typeof startSandboxProcess>>} */
let sandbox;
/** @type {import('./cluster.mjs').QueueCluster} */
let cluster;
/** The main process's REST and public API client. @type {import('../../../scripts/n8n/client.mjs').N8nClient} */
let main;
/** @type {{ id: string, name: string }} */
let credential;

// Interrupted (Ctrl-C, a CI cancel): after() does not run, so stop everything here.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.once(signal, async () => {
		await cluster?.stop().catch(() => {});
		await sandbox?.stop().catch(() => {});
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
		process.exit(130);
	});
}

before(async () => {
	for (const dir of removeAbandonedWorkDirs()) console.log(`removed ${dir}, left by a killed run`);
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Seedance', 'Seedance.node.js'))) {
		throw new Error('dist/ is missing: run npm run build');
	}
	workDir = createWorkDir();
	const tarball = npmPack(ROOT, workDir);
	sandbox = await startSandboxProcess({ tmpDir: workDir });
	const t0 = Date.now();
	cluster = await startQueueCluster({ dir: path.join(workDir, 'cluster'), communityPackage: tarball, workers: 2, webhooks: 2 });
	figure('cluster start', `${secs(Date.now() - t0)} ${JSON.stringify(cluster.timings)}`);
	if (cluster.tools) figure('servers', `PostgreSQL ${cluster.tools.postgresMajor}, Redis ${cluster.tools.redisVersion}`);
	if (cluster.tools?.installed.length) figure('installed with apt-get', cluster.tools.installed.join(', '));
	main = /** @type {NonNullable<typeof cluster.main>} */ (cluster.main).client;
	credential = await main.createCredential(CREDENTIAL_TYPE, 'Seedance sandbox', { apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

/** Executions a test started that must not outlive it (stopped after each test; already ended is fine). */
const stopLater = new Set();
afterEach(async () => {
	for (const id of stopLater) await main.rest('POST', `/executions/${id}/stop`, {}).catch(() => {});
	stopLater.clear();
});

after(async () => {
	await cluster?.stop();
	await sandbox?.stop();
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	console.log(`figures ${JSON.stringify(figures)}`);
});

const tails = () => `\n${cluster.logTails(40)}`;
/** @param {any} ex @param {string} node @returns {any[]} */
const itemsOf = (ex, node) => ex.data?.resultData?.runData?.[node]?.at(-1)?.data?.main?.[0] ?? [];
/** An execution's status and error for a failed assertion: the error's message and description first. */
const summary = (/** @type {any} */ ex) => {
	const error = ex.data?.resultData?.error;
	const reason = error ? `: ${error.message}${error.description ? ` (${error.description})` : ''}` : '';
	return `execution ${ex.id} ${ex.status}${reason}\n${JSON.stringify(error ?? null).slice(0, 3000)}${tails()}`;
};

/** Runs a workflow from the main process (manual mode, so a worker runs it) to its end. */
async function runToEnd(/** @type {string} */ workflowId, { timeoutMs = 120000 } = {}) {
	const id = await main.runWorkflow(workflowId);
	try {
		return await main.waitForExecution(id, { timeoutMs });
	} catch (err) {
		err.message += tails();
		throw err;
	}
}

/** Submits of /v2/videos/generate the sandbox answered. */
async function submits() {
	return (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
}

/**
 * A read of jobs as the node polls: a page of the job list, or one job by ID.
 * @param {{ method: string, path: string }} r
 */
const isJobRead = (r) => r.method === 'GET' && (r.path === '/v2/jobs' || r.path.startsWith('/v2/jobs/'));

/**
 * Jobs in Apiframe's job list (GET /v2/jobs, newest 100) whose prompt contains `marker`, as a user
 * would find them in Apiframe's dashboard. The list leaves out each job's input, so every job is
 * read once (GET /v2/jobs/{id}) for its prompt.
 * @param {string} marker
 * @returns {Promise<{ id: string, status: string }[]>}
 */
async function sandboxJobs(marker) {
	/** @param {string} route */
	const get = async (route) => {
		const res = await fetch(`${sandbox.url}${route}`, { headers: { 'x-api-key': sandbox.apiKey } });
		assert.equal(res.status, 200, `GET ${route}`);
		return res.json();
	};
	const { jobs } = await get('/v2/jobs?limit=100');
	const read = await Promise.all(jobs.map((/** @type {{ id: string }} */ j) => get(`/v2/jobs/${j.id}`)));
	return read.filter((j) => String(j.input?.prompt ?? '').includes(marker));
}

/**
 * Waits until a run has submitted `count` jobs and polled them twice; returns their IDs, found in
 * the job list by a word of their prompts.
 * @param {number} count
 * @param {string} marker
 */
async function pollingJobs(count, marker) {
	const deadline = Date.now() + 60000;
	for (;;) {
		const requests = await sandbox.requests();
		const posts = requests.filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
		const lastPost = posts.at(-1)?.time ?? '';
		const reads = requests.filter((r) => isJobRead(r) && r.time > lastPost);
		if (posts.length >= count && reads.length >= 2) break;
		if (Date.now() > deadline) throw new Error(`no run submitted ${count} jobs and polled them${tails()}`);
		await sleep(200);
	}
	const jobs = await sandboxJobs(marker);
	assert.equal(jobs.length, count, `jobs with "${marker}" in the job list`);
	return jobs.map((j) => j.id);
}

/** Streams a binary item from the main process's binary-data API; returns its SHA-256 and size. */
async function digestFromMain(/** @type {{ id: string }} */ ref) {
	const q = new URLSearchParams({ id: ref.id, action: 'download' });
	const res = await main.restResponse('GET', `/binary-data?${q}`);
	assert.equal(res.status, 200, `GET /rest/binary-data ${ref.id}`);
	assert.ok(res.body, `GET /rest/binary-data ${ref.id} answered no body`);
	return digestStream(res.body);
}

/**
 * A binary item's row in n8n's binary_data table, read inside Postgres (so a large file is not
 * loaded into this process): its size, SHA-256 and the execution it belongs to.
 * @param {{ id: string }} ref
 */
function storedInDatabase(ref) {
	const fileId = ref.id.replace(/^database:/, '');
	assert.match(fileId, /^[0-9a-f-]{36}$/, `not a database binary id: ${ref.id}`);
	const row = cluster.postgres?.query(
		`select length(data), encode(sha256(data), 'hex'), "sourceType", "sourceId" from binary_data where "fileId" = '${fileId}'`,
	);
	assert.ok(row, `no binary_data row for ${ref.id}`);
	const [bytes, sha256, sourceType, sourceId] = row.split('|');
	return { bytes: Number(bytes), sha256, sourceType, sourceId };
}

/** Asserts that every item carries its job's video, stored in the database, byte for byte. */
async function assertVideosFromMain(/** @type {any[]} */ items) {
	for (const item of items) {
		assert.equal(item.json.status, 'COMPLETED', JSON.stringify(item.json));
		const ref = item.binary?.data;
		assert.ok(ref, `no video on the item of job ${item.json.jobId}`);
		assert.match(ref.id, /^database/, `binary not in the database: ${JSON.stringify(ref)}`);
		const [got, expected] = await Promise.all([digestFromMain(ref), sandbox.fileDigest(item.json.jobId)]);
		assert.deepEqual(got, expected, `video bytes of job ${item.json.jobId}`);
	}
}

/** The n8n process that ran (or resumed) each start of the execution, by its log. */
function workersOf(/** @type {string} */ executionId) {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`, 'g');
	return cluster.workers.flatMap((w) => Array((w.server.log().match(line) ?? []).length).fill(w.name));
}

/** Waits until a webhook path is served by every webhook processor; returns its URL on each. */
async function waitForWebhookOnAll(/** @type {string} */ webhookPath, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (const processor of cluster.webhooks) {
		for (;;) {
			const res = await fetch(`${processor.baseUrl}/webhook/${webhookPath}`, {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
			});
			await res.arrayBuffer();
			if (res.status < 400 && (res.headers.get('access-control-allow-methods') ?? '').includes('POST')) break;
			if (Date.now() > deadline) throw new Error(`${processor.name} does not serve ${webhookPath} (${res.status})${tails()}`);
			await sleep(200);
		}
	}
	return cluster.webhooks.map((processor) => `${processor.baseUrl}/webhook/${webhookPath}`);
}

/** Executions of a workflow once there are `atLeast`, no new one has appeared for `quietMs` and none is running. */
/** @returns {Promise<any[]>} newest first */
async function settledExecutions(/** @type {string} */ workflowId, { atLeast = 1, quietMs = 4000, timeoutMs = 90000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const list = await main.listExecutions(workflowId);
		const busy = list.some((/** @type {any} */ e) => ['new', 'running'].includes(e.status));
		if (list.length !== last) {
			last = list.length;
			stableSince = Date.now();
		}
		if (list.length >= atLeast && !busy && Date.now() - stableSince >= quietMs) return list;
		if (Date.now() > deadline) throw new Error(`executions of ${workflowId} did not settle: ${JSON.stringify(list)}${tails()}`);
		await sleep(250);
	}
}

/**
 * @typedef {object} Delivery  a signed `completed` event exactly as the sandbox sent it
 * @property {string} jobId
 * @property {Buffer} body
 * @property {string} signature  X-Webhook-Signature
 */

/**
 * Submits a job whose events go to a local HTTP server standing in for the trigger, and returns its
 * `completed` delivery, so that a test can post the very same bytes wherever and as often as it likes.
 * @param {string} prompt
 * @returns {Promise<Delivery>}
 */
async function captureDelivery(prompt) {
	await sandbox.setOptions({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024 });
	/** @type {{ headers: http.IncomingHttpHeaders, body: Buffer }[]} */
	const received = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks) });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	try {
		const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
		const wf = await main.importWorkflow(
			singlePromptWorkflow('queue submit to capture', credential, prompt, {
				parameters: { waitForCompletion: false },
				options: { notifyWebhookUrl: `http://127.0.0.1:${port}/` },
			}),
		);
		const ex = await runToEnd(wf.id);
		assert.equal(ex.status, 'success', summary(ex));
		const deadline = Date.now() + 30000;
		let completed;
		while (!(completed = received.find((r) => r.headers['x-webhook-event'] === 'completed')) && Date.now() < deadline) await sleep(100);
		assert.ok(completed, 'the sandbox delivered the completed event');
		return {
			jobId: JSON.parse(completed.body.toString('utf8')).jobId,
			body: completed.body,
			signature: String(completed.headers['x-webhook-signature']),
		};
	} finally {
		await new Promise((resolve) => server.close(() => resolve(undefined)));
	}
}

/**
 * Posts `copies` copies of a delivery at once, round-robin over `urls`; returns the answers.
 * @param {string[]} urls
 * @param {Delivery} delivery
 * @param {number} copies
 */
async function postCopies(urls, delivery, copies) {
	return Promise.all(
		Array.from({ length: copies }, async (_, i) => {
			const res = await fetch(urls[i % urls.length], {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-webhook-event': 'completed', 'x-webhook-signature': delivery.signature },
				body: new Uint8Array(delivery.body),
			});
			const text = await res.text();
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
			return { status: res.status, body };
		}),
	);
}

describe(`${PKG} in n8n queue mode (Postgres, Redis, 2 workers, 2 webhook processors)`, { timeout: 40 * 60 * 1000 }, () => {
	test(`1. a ${BATCH_SIZE}-row batch runs on a worker; every video comes back through the main process`, async () => {
		await sandbox.reset();
		await sandbox.setOptions({ queueMs: 300, processingMs: 2700, videoBytes: 256 * 1024, credits: BATCH_TEAM_CREDITS });
		const prompts = Array.from({ length: BATCH_SIZE }, (_, i) => `Row ${i + 2}: a paper boat on a rainy street`);
		const wf = await main.importWorkflow(batchWorkflow('queue batch', credential, prompts, { options: { maxCredits: BATCH_MAX_CREDITS } }));
		const t0 = Date.now();
		const ex = await runToEnd(wf.id, { timeoutMs: 300000 });
		figure(`${BATCH_SIZE}-row batch, run to end (3 s jobs)`, secs(Date.now() - t0));
		// A spending check's refusal sends nothing: say so rather than fail on a missing row later.
		const refused = (await submits()).length === 0;
		assert.equal(ex.status, 'success', `${refused ? 'refused before any submit' : 'the batch failed'}, ${summary(ex)}`);
		assert.equal(ex.mode, 'manual');
		const ranOn = workersOf(ex.id);
		assert.equal(ranOn.length, 1, `started on ${JSON.stringify(ranOn)}${tails()}`);
		assert.doesNotMatch(cluster.main?.server.log() ?? '', new RegExp(`Worker started execution ${ex.id} `));
		const items = itemsOf(ex, 'Seedance');
		assert.equal(items.length, BATCH_SIZE, summary(ex));
		// As Apiframe has each job: the output's copy may come from the job list, which leaves out the request.
		const promptsOfJobs = await Promise.all(
			items.map(async (i) => {
				const res = await fetch(`${sandbox.url}/v2/jobs/${i.json.jobId}`, { headers: { 'x-api-key': sandbox.apiKey } });
				return (await res.json()).input?.prompt;
			}),
		);
		assert.deepEqual(promptsOfJobs, prompts, 'each row holds the job made from its own prompt');
		const upperEstimate = items.reduce((sum, i) => sum + (i.json.estimatedCredits?.high ?? Number.NaN), 0);
		figure(`${BATCH_SIZE}-row batch: upper estimate / Max Credits for This Run / team balance`, `${upperEstimate} / ${BATCH_MAX_CREDITS} / ${BATCH_TEAM_CREDITS}`);
		const t1 = Date.now();
		await assertVideosFromMain(items);
		figure(`${BATCH_SIZE} videos read back through the main process`, secs(Date.now() - t1));
		assert.equal((await submits()).length, BATCH_SIZE, 'one submit per row');
	});

	describe('2. the Seedance Trigger behind webhook processors', () => {
		/** @type {{ id: string }} */
		let trig;
		/** @type {string[]} */
		let hookUrls;

		before(async () => {
			const { workflow, webhookPath } = triggerWorkflow('queue trigger', credential);
			trig = await main.importWorkflow(workflow);
			await main.activate(trig.id);
			hookUrls = await waitForWebhookOnAll(webhookPath);
		});
		after(async () => {
			await main.deactivate(trig.id);
		});

		test('a signed delivery from Apiframe starts one execution, on a worker, with the video', async () => {
			await sandbox.reset();
			await sandbox.setOptions({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024 });
			const submitWf = await main.importWorkflow(
				singlePromptWorkflow('queue submit with notify', credential, 'A lighthouse in a storm', {
					parameters: { waitForCompletion: false },
					options: { notifyWebhookUrl: hookUrls[0] },
				}),
			);
			const submitted = await runToEnd(submitWf.id);
			assert.equal(submitted.status, 'success', summary(submitted));
			const jobId = itemsOf(submitted, 'Seedance')[0]?.json?.jobId;
			assert.ok(jobId);
			const [one, ...others] = await settledExecutions(trig.id);
			assert.equal(others.length, 0, 'one delivery, one execution');
			const tex = await main.waitForExecution(one.id);
			assert.equal(tex.status, 'success', summary(tex));
			assert.equal(tex.mode, 'webhook');
			assert.equal(workersOf(tex.id).length, 1, `the execution ran on a worker${tails()}`);
			const [item] = itemsOf(tex, 'Seedance Trigger');
			assert.equal(item.json.jobId, jobId);
			// The video is in the database, whole. But the trigger stores it while the webhook processor
			// answers, before n8n has an execution ID, and n8n 2.41.1 never moves a database-mode file off
			// its "temp" owner (restoreBinaryDataId only rewrites filesystem paths): the editor cannot
			// download it (404), and pruning the execution leaves the row behind.
			const { sourceId, ...stored } = storedInDatabase(item.binary.data);
			assert.deepEqual(stored, { ...(await sandbox.fileDigest(jobId)), sourceType: 'execution' });
			assert.equal(sourceId, 'temp', 'n8n now files webhook-time binaries under their execution: update docs/self-hosting.md');
			const q = new URLSearchParams({ id: item.binary.data.id, action: 'download' });
			assert.equal((await main.restResponse('GET', `/binary-data?${q}`)).status, 404);
			const delivered = (await sandbox.webhooks()).filter((d) => d.jobId === jobId && d.event === 'completed');
			assert.deepEqual(delivered.map((d) => d.statusCode), [200]);
		});

		test(`one delivery posted ${CONCURRENT_DELIVERIES}× at once to one webhook processor starts one execution`, async () => {
			const delivery = await captureDelivery('A kite over a beach');
			const before = (await main.listExecutions(trig.id)).length;
			const answers = await postCopies([hookUrls[0]], delivery, CONCURRENT_DELIVERIES);
			const started = (await settledExecutions(trig.id, { atLeast: before + 1 })).length - before;
			figure(`executions started by one delivery posted ${CONCURRENT_DELIVERIES}× at once to one webhook processor`, started);
			assert.deepEqual(answers.map((a) => a.status), Array(CONCURRENT_DELIVERIES).fill(200), 'every copy acknowledged');
			assert.equal(started, 1);
			assert.equal(answers.filter((a) => a.body.duplicate).length, CONCURRENT_DELIVERIES - 1);
		});

		test(`one delivery posted ${CONCURRENT_DELIVERIES}× at once over two webhook processors: at most one execution each`, async () => {
			const delivery = await captureDelivery('A heron in the reeds');
			const before = (await main.listExecutions(trig.id)).length;
			const answers = await postCopies(hookUrls, delivery, CONCURRENT_DELIVERIES);
			const all = await settledExecutions(trig.id, { atLeast: before + 1 });
			const executions = all.slice(0, all.length - before);
			figure(
				`executions started by one delivery posted ${CONCURRENT_DELIVERIES}× at once over ${hookUrls.length} webhook processors`,
				executions.length,
			);
			assert.deepEqual(answers.map((a) => a.status), Array(CONCURRENT_DELIVERIES).fill(200), 'every copy acknowledged');
			assert.ok(executions.length >= 1 && executions.length <= hookUrls.length, `${executions.length} executions`);
			// Duplicates are the same event: the same job, the same video.
			for (const e of executions) {
				const [item] = itemsOf(await main.waitForExecution(e.id), 'Seedance Trigger');
				assert.equal(item.json.jobId, delivery.jobId);
				assert.equal(storedInDatabase(item.binary.data).sha256, (await sandbox.fileDigest(delivery.jobId)).sha256);
			}

			// The same delivery once more, after those executions ended: every processor knows it.
			const again = await postCopies(hookUrls, delivery, hookUrls.length);
			assert.deepEqual(again.map((a) => a.body), hookUrls.map(() => ({ received: true, duplicate: true })), 'a later repeat starts nothing');
			assert.equal((await settledExecutions(trig.id, { quietMs: 2000 })).length - before, executions.length);
		});

		test('a generation chained to the trigger bills one job however many executions a delivery starts', async () => {
			// Options › Idempotency Key from the delivery: Apiframe's own check (one job per key) holds
			// across processes where n8n's cannot.
			const { workflow, webhookPath } = triggerWorkflow('queue trigger then generate', credential, { parameters: { downloadVideo: false } });
			const next = seedanceNode(credential, {
				name: 'Next Shot',
				parameters: { prompt: '=The shot after {{ $json.jobId }}', waitForCompletion: false },
				options: { idempotencyKey: "={{ $('Seedance Trigger').item.json.jobId }}:{{ $('Seedance Trigger').item.json.event }}" },
			});
			/** @type {object[]} */ (workflow.nodes).push(next);
			workflow.connections.Done = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
			const chained = await main.importWorkflow(workflow);
			await main.activate(chained.id);
			try {
				const urls = await waitForWebhookOnAll(webhookPath);
				const delivery = await captureDelivery('A train through snow');
				await postCopies(urls, delivery, CONCURRENT_DELIVERIES);
				const executions = await settledExecutions(chained.id);
				const nextJobs = [];
				for (const e of executions) {
					const ex = await main.waitForExecution(e.id);
					assert.equal(ex.status, 'success', summary(ex));
					nextJobs.push(itemsOf(ex, 'Next Shot')[0]?.json?.jobId);
				}
				const billed = await sandboxJobs(`The shot after ${delivery.jobId}`);
				figure('chained generation: executions / submits / jobs billed', `${executions.length} / ${nextJobs.length} / ${billed.length}`);
				assert.equal(billed.length, 1, 'one job billed');
				assert.deepEqual(new Set(nextJobs), new Set([billed[0].id]), 'every execution carries the one job');
			} finally {
				await main.deactivate(chained.id);
			}
		});
	});

	test('3. Sleep Until Apiframe Calls Back: callbacks reach a webhook processor; a worker resumes with every video', async () => {
		await sandbox.reset();
		await sandbox.setOptions({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024 });
		const prompts = ['[sandbox:slow=1000] one', '[sandbox:slow=3000] two', '[sandbox:slow=5000] three'];
		const wf = await main.importWorkflow(
			batchWorkflow('queue callback', credential, prompts, { parameters: { waitMethod: 'callback' }, options: { timeout: 120 } }),
		);
		const t0 = Date.now();
		const id = await main.runWorkflow(wf.id);
		const waiting = await main.waitForExecution(id, { acceptWaiting: true, timeoutMs: 60000 });
		assert.equal(waiting.status, 'waiting', summary(waiting));
		figure('callback run saved as waiting after', secs(Date.now() - t0));
		const ex = await main.waitForExecution(id, { timeoutMs: 120000 });
		figure('callback run finished after', secs(Date.now() - t0));
		assert.equal(ex.status, 'success', summary(ex));
		const items = itemsOf(ex, 'Seedance');
		assert.equal(items.length, prompts.length);
		await assertVideosFromMain(items);

		const resumeUrl = (await submits())[0].body.webhookUrl;
		assert.ok(resumeUrl.startsWith(`${cluster.webhooks[0].baseUrl}/webhook-waiting/${id}?signature=`), resumeUrl);
		const callbacks = (await sandbox.webhooks()).map((d) => `${d.event}:${d.statusCode}`);
		console.log(`callbacks to the webhook processor: ${callbacks.join(', ')}`);
		assert.ok(callbacks.includes('completed:200'));
		const starts = workersOf(id);
		figure('callback run: workers that started / resumed it', starts.join(' then '));
		assert.equal(starts.length, 2, `one start and one resume on workers${tails()}`);
		assert.match(cluster.webhooks[0].server.log(), new RegExp(`${id}`), 'the webhook processor took the resume');
	});

	test('4. cancelling a polling execution from the main process stops the worker and reports the job IDs', async () => {
		await sandbox.reset();
		await sandbox.setOptions({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024 });
		const marker = `endless-${crypto.randomUUID().slice(0, 8)}`;
		const prompts = Array.from({ length: 3 }, (_, i) => `[sandbox:slow=600000] ${marker} ${i}`);
		const wf = await main.importWorkflow(batchWorkflow('queue cancel', credential, prompts, { options: { pollInterval: 1 } }));
		const id = await main.runWorkflow(wf.id);
		// Endless jobs: a failing check must not leave the run polling into the next test.
		stopLater.add(id);
		const jobIds = await pollingJobs(prompts.length, marker);
		const polls = async () => (await sandbox.requests()).filter(isJobRead);

		const worker = cluster.workerOf(id);
		assert.ok(worker, `no worker took execution ${id}`);
		// A cancelled job ends as an error in the worker's log ("Worker errored while running execution").
		const finishedLine = new RegExp(`Worker (finished|errored while running) execution ${id} \\(job`);
		const stoppedAt = Date.now();
		await main.rest('POST', `/executions/${id}/stop`, {});
		const answeredMs = Date.now() - stoppedAt;
		while (!finishedLine.test(worker.server.log()) && Date.now() - stoppedAt < 30000) await sleep(20);
		const workerDoneMs = Date.now() - stoppedAt;
		// Polling every second: any poll more than a second after the stop would mean it went on.
		await sleep(3000);
		const after = (await polls()).filter((r) => Date.parse(r.time) > stoppedAt);
		const lastPollMs = after.length ? Date.parse(after[after.length - 1].time) - stoppedAt : 0;
		figure(
			'cancel from main: stop answered / worker logged the job ended / polls after the stop (1 s interval)',
			`${secs(answeredMs)} / ${secs(workerDoneMs)} / ${after.length}${after.length ? ` (last after ${secs(lastPollMs)})` : ''}`,
		);
		assert.ok(finishedLine.test(worker.server.log()), `${worker.name} never ended execution ${id}${tails()}`);
		assert.ok(lastPollMs < 2000, `the worker kept polling ${secs(lastPollMs)} after the stop`);

		// The node's report in the worker's log names every job, whichever copy of the execution n8n keeps.
		const report = worker.server.log().split('\n').find((line) => line.includes(`execution ${id} was cancelled with jobs submitted`));
		assert.ok(report, `${worker.name} logged no report of the cancelled run's jobs${tails()}`);
		assert.deepEqual(jobIds.filter((jobId) => !report.includes(jobId)), [], `job IDs missing from the worker's report: ${report}`);

		// n8n 2.41.1 saves the stopped execution twice at the same moment: the worker's copy, with the
		// node's error, and the main process's, as it read it before the stop. The later write stays.
		const ex = await main.getExecutionRest(id);
		assert.equal(ex.status, 'canceled', JSON.stringify(ex).slice(0, 2000));
		const seedanceRun = ex.data.resultData.runData?.Seedance?.[0];
		const kept = jobIds.every((jobId) => JSON.stringify(seedanceRun?.error ?? null).includes(jobId));
		figure('cancel from main: the saved execution lists the job IDs', kept ? "yes (the worker's copy was saved last)" : "no (the main process's copy was saved last)");
		// Only that overwrite may hide them: a saved run of the node always carries its error.
		if (!kept) assert.equal(seedanceRun, undefined, `the node's saved run lacks the job IDs: ${String(JSON.stringify(seedanceRun)).slice(0, 1500)}`);
	});

	test('5. a worker killed mid-poll: what the user sees, and the paid jobs picked up again', async () => {
		await sandbox.reset();
		await sandbox.setOptions({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024 });
		const marker = `crash-${crypto.randomUUID().slice(0, 8)}`;
		const prompts = Array.from({ length: 4 }, (_, i) => `[sandbox:slow=15000] ${marker} shot ${i + 1}`);
		const wf = await main.importWorkflow(batchWorkflow('queue crash', credential, prompts, { options: { pollInterval: 1 } }));
		const id = await main.runWorkflow(wf.id);
		await pollingJobs(prompts.length, marker);
		const worker = cluster.workerOf(id);
		assert.ok(worker, `no worker took execution ${id}${tails()}`);
		const killedAt = Date.now();
		await worker.kill();
		figure('killed', `${worker.name} (SIGKILL, with its task runner), ${prompts.length} jobs submitted and polled`);
		try {
			// What the editor shows: the execution stays "running" until n8n notices the dead worker.
			const seen = [];
			let ex;
			for (;;) {
				ex = await main.api('GET', `/executions/${id}?includeData=true`);
				if (seen.at(-1)?.status !== ex.status) seen.push({ status: ex.status, afterMs: Date.now() - killedAt });
				if (!['new', 'running'].includes(ex.status)) break;
				if (Date.now() - killedAt > 300000) break;
				await sleep(1000);
			}
			figure('execution status after the kill', seen.map((s) => `${s.status} at ${secs(s.afterMs)}`).join(', '));
			assert.notEqual(ex.status, 'success');
			console.log(`error shown: ${JSON.stringify(ex.data?.resultData?.error ?? null).slice(0, 800)}`);
			assert.equal((await submits()).length, prompts.length, 'nothing was submitted again');

			// The jobs are Apiframe's. In n8n: Job → List from the failed execution's start, then Job → Get.
			const ids = (await sandboxJobs(marker)).map((j) => j.id);
			assert.equal(ids.length, prompts.length, 'the job list has every submitted job');
			const find = seedanceNode(credential, {
				name: 'Find',
				parameters: { resource: 'job', operation: 'list', returnAll: true, filters: { createdAfter: ex.startedAt } },
			});
			const collect = seedanceNode(credential, {
				parameters: { resource: 'job', operation: 'get', jobId: '={{ $json.jobId }}', waitForCompletion: true, downloadVideo: true },
			});
			const manual = { id: crypto.randomUUID(), name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
			const rwf = await main.importWorkflow({
				name: 'queue recover',
				nodes: [manual, find, collect],
				connections: {
					Manual: { main: [[{ node: 'Find', type: 'main', index: 0 }]] },
					Find: { main: [[{ node: 'Seedance', type: 'main', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
			});
			const rex = await runToEnd(rwf.id, { timeoutMs: 120000 });
			assert.equal(rex.status, 'success', summary(rex));
			assert.deepEqual(itemsOf(rex, 'Find').map((i) => i.json.jobId).sort(), [...ids].sort(), 'Job → List found the run\'s jobs');
			const recovered = itemsOf(rex, 'Seedance');
			assert.deepEqual(recovered.map((i) => i.json.jobId).sort(), [...ids].sort());
			await assertVideosFromMain(recovered);
		} finally {
			// The next tests expect two workers.
			await worker.restart();
		}
	});

	test(`6. a worker's memory while a ${BIG_VIDEO_BYTES / 1024 / 1024} MB video is stored in the database`, async () => {
		await sandbox.reset();
		const wf = await main.importWorkflow(singlePromptWorkflow('queue big video', credential, 'A long drone flight over a canyon'));

		/** Runs a workflow to its end, sampling every worker's RSS; returns the figures of the one that ran it. */
		async function measuredRun(/** @type {string} */ workflowId) {
			const samplers = cluster.workers.filter((w) => w.server.running).map((w) => ({ worker: w, sampler: sampleRss(w.server.pid, 100) }));
			/** @type {Map<any, ReturnType<ReturnType<typeof sampleRss>['stop']>>} */
			const results = new Map();
			let ex;
			try {
				ex = await runToEnd(workflowId, { timeoutMs: 600000 });
			} finally {
				for (const s of samplers) results.set(s.worker, s.sampler.stop());
			}
			const worker = cluster.workerOf(ex.id);
			assert.ok(worker, `no worker ran ${ex.id}`);
			return { ex, worker, mem: /** @type {NonNullable<ReturnType<typeof results.get>>} */ (results.get(worker)) };
		}
		/** @param {number} bytes */
		const seedanceRun = async (bytes) => {
			await sandbox.setOptions({ queueMs: 0, processingMs: 500, videoBytes: bytes });
			return measuredRun(wf.id);
		};

		// A first large binary grows a worker once by ~100 MB whatever its size; warm both up first,
		// since either may take the measured run.
		const warmed = new Set();
		for (let i = 0; i < 6 && warmed.size < cluster.workers.length; i++) {
			const warm = await seedanceRun(32 * 1024 * 1024);
			assert.equal(warm.ex.status, 'success', summary(warm.ex));
			figure(`32 MB video (warm-up ${i + 1}): worker RSS growth`, `${mb(warm.mem.growthKb)} (${warm.worker.name})`);
			warmed.add(warm.worker);
		}
		const big = await seedanceRun(BIG_VIDEO_BYTES);
		assert.equal(big.ex.status, 'success', summary(big.ex));
		figure(
			`${BIG_VIDEO_BYTES / 1024 / 1024} MB video: worker RSS before / peak / growth`,
			`${mb(big.mem.baselineKb)} / ${mb(big.mem.peakKb)} / ${mb(big.mem.growthKb)} (${big.worker.name})`,
		);
		const [item] = itemsOf(big.ex, 'Seedance');
		assert.ok(item?.binary?.data, JSON.stringify(item).slice(0, 500));
		const { bytes, sha256, sourceId } = storedInDatabase(item.binary.data);
		assert.deepEqual({ bytes, sha256 }, await sandbox.fileDigest(item.json.jobId), 'stored video');
		assert.equal(sourceId, big.ex.id);

		// n8n's own share: its HTTP Request node storing the same file in the same mode.
		const httpWf = await main.importWorkflow({
			name: 'queue big file, HTTP Request',
			nodes: [
				{ id: crypto.randomUUID(), name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: crypto.randomUUID(),
					name: 'Download',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [220, 0],
					parameters: { url: `${sandbox.url}/files/${item.json.jobId}.mp4`, options: { response: { response: { responseFormat: 'file' } } } },
				},
			],
			connections: { Manual: { main: [[{ node: 'Download', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		// A worker keeps the memory a large file took (RSS does not shrink), so the other, warmed
		// worker runs it: the one that stored the video is stopped meanwhile.
		await big.worker.server.stop();
		let httpRun;
		try {
			httpRun = await measuredRun(httpWf.id);
		} finally {
			await big.worker.restart();
		}
		assert.equal(httpRun.ex.status, 'success', summary(httpRun.ex));
		figure(
			`${BIG_VIDEO_BYTES / 1024 / 1024} MB file by n8n's HTTP Request node: worker RSS before / peak / growth`,
			`${mb(httpRun.mem.baselineKb)} / ${mb(httpRun.mem.peakKb)} / ${mb(httpRun.mem.growthKb)} (${httpRun.worker.name})`,
		);
		const [downloaded] = itemsOf(httpRun.ex, 'Download');
		assert.equal(storedInDatabase(downloaded.binary.data).sha256, sha256);
	});
});
