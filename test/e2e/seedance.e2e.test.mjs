// @ts-check
// The package in a real n8n (2.41.1, and 1.123.81 for the basics), installed from its `npm pack`
// tarball the way n8n installs a community package, against the Apiframe sandbox running as its
// own process. Everything is driven through n8n's REST and public APIs.
//
//   node --test --test-concurrency=1 test/e2e/
//   N8N_E2E_VERSIONS=2.41.1 node --test test/e2e/seedance.e2e.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { startN8n } from '../../scripts/n8n/instance.mjs';
/** @typedef {import('../../scripts/n8n/instance.mjs').N8nInstance} N8nInstance */
import { npmPack } from '../../scripts/n8n/package.mjs';
import { digestStream, startSandboxProcess } from './support/sandbox-process.mjs';
import { sampleRss } from './support/rss-sampler.mjs';
import { createWorkDir, removeAbandonedWorkDirs } from './support/work-dir.mjs';
import {
	batchWorkflow,
	CORE_LOOP_EXAMPLE,
	coreLoopWorkflow,
	CREDENTIAL_TYPE,
	PKG,
	SEEDANCE,
	SEEDANCE_TRIGGER,
	sheetWorkflow,
	singlePromptWorkflow,
	triggerWorkflow,
} from './support/workflows.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSIONS = (process.env.N8N_E2E_VERSIONS || '2.41.1,1.123.81').split(',').map((s) => s.trim()).filter(Boolean);

// Sandbox job lengths: short where only the outcome matters, ~3 s where the batch timing is measured.
const QUICK_JOB = { queueMs: 100, processingMs: 900 };
const BATCH_JOB = { queueMs: 300, processingMs: 2700 };
const BATCH_SIZE = 20;
const BIG_VIDEO_BYTES = 300 * 1024 * 1024;
// Streaming keeps the growth bounded but not zero: V8 frees the downloaded chunks lazily, so a
// first large download raises RSS once by some tens of MB; buffering the video would add 300 MB.
const MEMORY_BUDGET_MB = 100;

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** @type {Record<string, number>} */
const timings = {};
/**
 * @template T
 * @param {string} label
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function time(label, fn) {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		timings[label] = Date.now() - t0;
		console.log(`timing ${label}: ${secs(timings[label])}`);
	}
}

/** @type {string} */
let workDir;
/** @type {string} */
let tarball;
/** @type {import('./support/sandbox-process.mjs').SandboxProcess} */
let sandbox;
/** @type {Set<N8nInstance>} */
const running = new Set();

// Interrupted (Ctrl-C, a CI cancel): the after() hooks do not run, so stop what was started and
// remove its folders here (n8n's user folder may hold a 300 MB video).
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, async () => {
		await Promise.allSettled([...running].map((n) => n.stop({ graceMs: 3000 })));
		await sandbox?.stop().catch(() => {});
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
		process.exit(130);
	});
}

before(async () => {
	for (const dir of removeAbandonedWorkDirs()) console.log(`removed ${dir}, left by a killed run`);
	// Tarball, sandbox TMPDIR and n8n user folders all go here, removed in after() whatever happens.
	workDir = createWorkDir();
	if (!fs.existsSync(path.join(ROOT, 'dist', 'nodes', 'Seedance', 'Seedance.node.js'))) {
		throw new Error('dist/ is missing: run npm run build (or npx tsc -p tsconfig.json && npx gulp build:icons)');
	}
	tarball = await time('npm pack', async () => npmPack(ROOT, workDir));
	sandbox = await time('sandbox start', () => startSandboxProcess({ tmpDir: workDir }));
	console.log(`sandbox ${sandbox.url}; package ${path.basename(tarball)}`);
});

after(async () => {
	if (sandbox) await time('sandbox stop', () => sandbox.stop());
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	console.log(`timings ${JSON.stringify(timings)}`);
});

for (const version of VERSIONS) {
	const major = Number(version.split('.')[0]);
	// 1.x: only that the package loads, generates and triggers there too.
	const onlyOn2 = major >= 2 ? {} : { skip: 'runs on n8n 2.x only' };

	describe(`n8n ${version} with ${PKG}`, { timeout: 15 * 60 * 1000 }, () => {
		/** @type {N8nInstance} */
		let n8n;
		/** @type {{ id: string, name: string }} */
		let goodCred;

		const tail = (lines = 40) => `\n--- n8n ${version} log tail ---\n${n8n?.server.logTail(lines) ?? '(no n8n)'}`;

		/**
		 * Runs a workflow to its end; returns the execution (public API, data decoded) and its duration.
		 * @param {string} workflowId
		 * @param {{ timeoutMs?: number }} [options]
		 */
		async function runToEnd(workflowId, { timeoutMs = 60000 } = {}) {
			const id = await n8n.client.runWorkflow(workflowId);
			let ex;
			try {
				ex = await n8n.client.waitForExecution(id, { timeoutMs });
			} catch (err) {
				err.message += tail();
				throw err;
			}
			return { ex, durationMs: Date.parse(ex.stoppedAt) - Date.parse(ex.startedAt) };
		}

		/**
		 * The items a node handed on in an execution.
		 * @param {any} ex
		 * @param {string} node
		 * @returns {any[]}
		 */
		const itemsOf = (ex, node) => ex.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];
		/** @param {any} ex */
		const summary = (ex) =>
			JSON.stringify({ id: ex.id, status: ex.status, error: ex.data?.resultData?.error ?? null }).slice(0, 3000) + tail();

		/**
		 * Where n8n keeps a webhook run's binary. n8n 1.x writes it under executions/temp and moves
		 * it to the execution's folder after the run; when the same binary sits on two nodes
		 * (trigger → NoOp) the two moves race, the loser logs "Failed to restore binary data ID",
		 * and the saved references keep "temp" although the file has moved. 2.x has no such step.
		 * @param {{ id: string }} ex
		 * @param {{ id?: string }} ref
		 */
		function storedBinaryRef(ex, ref) {
			if (major >= 2 || !ref?.id?.includes('/executions/temp/')) return ref;
			console.log(`${version}: execution ${ex.id} kept the stale binary id ${ref.id} (n8n 1.x); reading it from the execution's folder`);
			return { ...ref, id: ref.id.replace('/executions/temp/', `/executions/${ex.id}/`) };
		}

		/** @type {string} */
		let userFolder;

		before(async () => {
			userFolder = path.join(workDir, `n8n-${version}`);
			fs.mkdirSync(userFolder);
			const inst = await time(`${version} install`, () => ensureN8n(version));
			console.log(`${version} install ${inst.cached ? 'cached' : 'fresh'}`);
			n8n = await time(`${version} start (package install + readiness + owner + api key)`, () =>
				startN8n({ version, communityPackage: tarball, binaryDataMode: 'filesystem', userFolder }),
			);
			running.add(n8n);
			console.log(`${version} startup ${JSON.stringify(n8n.timings)}`);
			goodCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance sandbox', {
				apiKey: sandbox.apiKey,
				baseUrl: sandbox.url,
			});
		});

		after(async () => {
			if (n8n) {
				await time(`${version} stop`, () => n8n.stop());
				running.delete(n8n);
			}
			// A given user folder is the caller's to remove; free the disk before the next version.
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		test('1. lists both nodes and the credential, with no load error in the log', async () => {
			const [nodes, creds] = await Promise.all([n8n.client.nodeTypes(), n8n.client.credentialTypes()]);
			for (const type of [SEEDANCE, SEEDANCE_TRIGGER]) {
				assert.ok(nodes.some((n) => n.name === type), `${type} not among ${nodes.length} node types${tail()}`);
			}
			const cred = creds.find((c) => c.name === CREDENTIAL_TYPE);
			assert.ok(cred, `${CREDENTIAL_TYPE} not among ${creds.length} credential types${tail()}`);
			const trigger = nodes.find((n) => n.name === SEEDANCE_TRIGGER);
			assert.equal(trigger.webhooks?.[0]?.path, 'seedance');
			console.log(`${version}: ${PKG} types found; ${CREDENTIAL_TYPE}.supportedNodes=${JSON.stringify(cred.supportedNodes)}`);

			// A require n8n cannot resolve is logged at startup (as "Failed to load package" or the
			// bare "Cannot find module" message), and the types then silently lack the package.
			const log = n8n.server.log();
			const problems = log
				.split('\n')
				.filter(
					(l) =>
						/Failed to load package|Cannot find module|Skipping package|Class could not be found|UnrecognizedNodeType|Unrecognized (node|credential) type/i.test(l) ||
						(/seedance/i.test(l) && /error|fail|cannot|unable/i.test(l)),
				);
			assert.deepEqual(problems, [], `n8n logged package load problems${tail(80)}`);
		});

		test('2. credential test passes with the sandbox key, fails clearly with a wrong one', onlyOn2, async () => {
			await sandbox.reset();
			const ok = await time(`${version} credential test`, () => n8n.client.testCredential(goodCred.id));
			assert.equal(ok.status, 'OK', `good key: ${JSON.stringify(ok)}${tail()}`);
			const badCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance wrong key', {
				apiKey: 'afk_wrong_key',
				baseUrl: sandbox.url,
			});
			const bad = await n8n.client.testCredential(badCred.id);
			assert.equal(bad.status, 'Error', `wrong key: ${JSON.stringify(bad)}`);
			assert.match(bad.message, /rejected the API key/, `wrong key: ${JSON.stringify(bad)}`);
			console.log(`${version} wrong key message: ${bad.message}`);
			// n8n itself may ask more than once for a rejected key; what matters is what each key got.
			const me = (await sandbox.requests()).filter((r) => r.method === 'GET' && r.path === '/v2/me');
			assert.deepEqual(
				[...new Set(me.map((r) => r.status))],
				[200, 401],
				`the test calls GET /v2/me: ${JSON.stringify(me.map((r) => [r.path, r.status]))}`,
			);
		});

		test('3. text to video: the video arrives as binary data, byte for byte', async () => {
			await sandbox.reset();
			await sandbox.setOptions(QUICK_JOB);
			const wf = await n8n.client.importWorkflow(
				singlePromptWorkflow('e2e text to video', goodCred, 'A red fox runs through fresh snow at dawn'),
			);
			const { ex, durationMs } = await time(`${version} text to video run`, () => runToEnd(wf.id));
			assert.equal(ex.status, 'success', summary(ex));
			const items = itemsOf(ex, 'Seedance');
			assert.equal(items.length, 1, summary(ex));
			const { json, binary } = items[0];
			assert.equal(json.status, 'COMPLETED', JSON.stringify(json));
			assert.equal(json.error, null);
			assert.match(json.jobId, /^[0-9a-f-]{36}$/);
			assert.equal(json.videoUrl, `${sandbox.url}/files/${json.jobId}.mp4`);
			assert.ok(binary?.data, `no binary data on the item: ${JSON.stringify(items[0]).slice(0, 1000)}`);
			assert.equal(binary.data.mimeType, 'video/mp4');
			assert.equal(binary.data.fileName, `seedance-${json.jobId}.mp4`);
			assert.match(binary.data.id ?? '', /^filesystem/, `binary not in filesystem mode: ${JSON.stringify(binary.data)}`);

			const expected = await sandbox.fileDigest(json.jobId);
			const bytes = await n8n.client.downloadBinary(binary.data);
			assert.equal(bytes.length, expected.bytes);
			assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), expected.sha256, 'video bytes differ');
			console.log(`${version} text to video: execution ${secs(durationMs)}, ${bytes.length} bytes, sha256 ${expected.sha256.slice(0, 16)}…`);

			const submits = (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
			assert.equal(submits.length, 1);
			assert.deepEqual(submits[0].body, { model: 'seedance-2', prompt: 'A red fox runs through fresh snow at dawn' });
			assert.ok(submits[0].headers['idempotency-key'], 'submit without Idempotency-Key');
		});

		test(`4. a ${BATCH_SIZE}-item batch takes about one job's time, not ${BATCH_SIZE}`, onlyOn2, async () => {
			await sandbox.reset();
			await sandbox.setOptions(BATCH_JOB);
			const jobMs = BATCH_JOB.queueMs + BATCH_JOB.processingMs;
			const prompts = Array.from({ length: BATCH_SIZE }, (_, i) => `Shot ${i + 1}: a paper boat on a rainy street`);
			const wf = await n8n.client.importWorkflow(batchWorkflow('e2e batch', goodCred, prompts));
			const { ex, durationMs } = await time(`${version} batch run`, () => runToEnd(wf.id, { timeoutMs: 120000 }));
			assert.equal(ex.status, 'success', summary(ex));
			const items = itemsOf(ex, 'Seedance');
			assert.equal(items.length, BATCH_SIZE, summary(ex));
			const notDone = items.filter((i) => i.json.status !== 'COMPLETED' || !i.binary?.data);
			assert.deepEqual(notDone.map((i) => i.json), []);
			assert.deepEqual(
				items.map((i) => i.pairedItem?.item),
				prompts.map((_, i) => i),
				'items out of input order',
			);
			// Each row's output holds the job made from that row's prompt, as Apiframe has it (the
			// output's own job copy may come from the job list, which leaves the request out).
			const promptsOfJobs = await Promise.all(
				items.map(async (i) => {
					const res = await fetch(`${sandbox.url}/v2/jobs/${i.json.jobId}`, { headers: { 'X-API-Key': sandbox.apiKey } });
					return (await res.json()).input?.prompt;
				}),
			);
			assert.deepEqual(promptsOfJobs, prompts, 'an output item holds another row\'s job');
			assert.equal(new Set(items.map((i) => i.json.jobId)).size, BATCH_SIZE, 'job IDs not distinct');

			const nodeMs = ex.data.resultData.runData.Seedance[0].executionTime;
			// Serial waiting would take BATCH_SIZE × jobMs; parallel is one job plus a poll interval
			// and the submits. The slack covers the other nodes and a loaded machine.
			const limitMs = 3 * jobMs + 5000;
			console.log(
				`${version} batch of ${BATCH_SIZE} × ${secs(jobMs)} jobs: execution ${secs(durationMs)}, Seedance node ${secs(nodeMs)} ` +
					`(limit ${secs(limitMs)}; serial would be ${secs(BATCH_SIZE * jobMs)})`,
			);
			assert.ok(durationMs < limitMs, `batch took ${secs(durationMs)}, limit ${secs(limitMs)}`);
			const submits = (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
			assert.equal(submits.length, BATCH_SIZE, 'one submit per row');
		});

		test('5. an activated Seedance Trigger receives the signed webhook; an unsigned one gets 401', async () => {
			await sandbox.reset();
			await sandbox.setOptions(QUICK_JOB);
			const { workflow, webhookPath } = triggerWorkflow('e2e trigger', goodCred);
			const trig = await n8n.client.importWorkflow(workflow);
			await time(`${version} activate trigger`, () => n8n.client.activate(trig.id, { webhookPath }));
			const hookUrl = n8n.client.webhookUrl(webhookPath);
			try {
				const prompt = 'A lighthouse in a storm, waves crashing';
				const submitWf = await n8n.client.importWorkflow(
					singlePromptWorkflow('e2e submit with notify', goodCred, prompt, {
						parameters: { waitForCompletion: false },
						options: { notifyWebhookUrl: hookUrl },
					}),
				);
				const t0 = Date.now();
				const { ex } = await runToEnd(submitWf.id);
				assert.equal(ex.status, 'success', summary(ex));
				const [submitted] = itemsOf(ex, 'Seedance');
				const jobId = submitted?.json?.jobId;
				assert.ok(jobId, `no jobId from the submit: ${JSON.stringify(submitted)}`);
				assert.ok(['QUEUED', 'PROCESSING'].includes(submitted.json.status), JSON.stringify(submitted.json));
				assert.equal(submitted.binary, undefined, 'no download without waiting');
				const submit = (await sandbox.requests()).find((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
				assert.equal(submit?.body?.webhookUrl, hookUrl);
				assert.deepEqual(submit.body.webhookEvents, ['completed', 'failed']);

				// The sandbox POSTs the signed `completed` event when the job ends (~1 s).
				let done;
				const deadline = Date.now() + 30000;
				while (!done && Date.now() < deadline) {
					const list = await n8n.client.listExecutions(trig.id);
					done = list.find((e) => e.finished || (e.status && !['new', 'running', 'waiting'].includes(e.status)));
					if (!done) await sleep(200);
				}
				const deliveries = await sandbox.webhooks();
				assert.ok(done, `no trigger execution within 30 s; sandbox deliveries ${JSON.stringify(deliveries)}${tail()}`);
				timings[`${version} submit to trigger execution`] = Date.now() - t0;
				console.log(`${version} submit → trigger execution found: ${secs(Date.now() - t0)}`);
				const tex = await n8n.client.waitForExecution(done.id);
				assert.equal(tex.status, 'success', summary(tex));
				assert.equal(tex.mode, 'webhook');
				const [item] = itemsOf(tex, 'Seedance Trigger');
				assert.equal(item?.json?.jobId, jobId, JSON.stringify(item?.json));
				assert.equal(item.json.status, 'COMPLETED');
				assert.equal(item.json.event, 'completed');
				assert.ok(item.binary?.data, `trigger item without video: ${JSON.stringify(item).slice(0, 1000)}`);
				assert.equal(item.binary.data.mimeType, 'video/mp4');
				assert.equal(item.binary.data.fileName, `seedance-${jobId}.mp4`);
				const expected = await sandbox.fileDigest(jobId);
				const bytes = await n8n.client.downloadBinary(storedBinaryRef(tex, item.binary.data));
				assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), expected.sha256, 'trigger video bytes differ');
				assert.equal(itemsOf(tex, 'Done')[0]?.json?.jobId, jobId, 'the item did not reach the next node');
				const completed = deliveries.filter((d) => d.jobId === jobId && d.event === 'completed');
				assert.deepEqual(
					completed.map((d) => d.statusCode),
					[200],
					`one accepted delivery expected: ${JSON.stringify(deliveries)}`,
				);

				// Anyone can POST to the URL: without the signature the same body must start nothing.
				const countBefore = (await n8n.client.listExecutions(trig.id)).length;
				const res = await fetch(hookUrl, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(item.json.webhook),
				});
				const answer = await res.text();
				assert.equal(res.status, 401, `unsigned delivery answered ${res.status}: ${answer}`);
				assert.match(answer, /Missing X-Webhook-Signature/);
				await sleep(1500);
				const countAfter = (await n8n.client.listExecutions(trig.id)).length;
				assert.equal(countAfter, countBefore, 'the unsigned delivery started an execution');
			} finally {
				await n8n.client.deactivate(trig.id).catch(() => {});
			}
		});

		test('6a. a failed job ends the execution with its jobId and the reason', onlyOn2, async () => {
			await sandbox.reset();
			await sandbox.setOptions(QUICK_JOB);
			const wf = await n8n.client.importWorkflow(
				singlePromptWorkflow('e2e failing job', goodCred, 'A crowded beach [sandbox:fail=Content policy]'),
			);
			const { ex } = await runToEnd(wf.id);
			assert.equal(ex.status, 'error', summary(ex));
			const reads = (await sandbox.requests()).filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs/'));
			const jobId = reads[0]?.path.split('/').pop();
			assert.ok(jobId, 'the node never read the job');
			const error = ex.data.resultData.error;
			assert.ok(error, summary(ex));
			assert.ok(error.message.includes(jobId), `message lacks job ${jobId}: ${error.message}`);
			assert.ok(error.message.includes('failed: Content policy'), `message: ${error.message}`);
			assert.equal(ex.data.resultData.runData.Seedance?.[0]?.error?.message, error.message, 'error not on the Seedance node');
			console.log(`${version} failed job error: ${error.message} | ${String(error.description ?? '').replace(/\n/g, ' / ')}`);
		});

		test('6b. a bad parameter fails with the field to fix and sends nothing', onlyOn2, async () => {
			await sandbox.reset();
			const wf = await n8n.client.importWorkflow(
				singlePromptWorkflow('e2e bad parameter', goodCred, 'A quiet forest', {
					parameters: { model: 'seedance-2-fast', videoSettings: { resolution: '1080p' } },
				}),
			);
			const { ex } = await runToEnd(wf.id);
			assert.equal(ex.status, 'error', summary(ex));
			const error = ex.data.resultData.error;
			assert.ok(
				error?.message?.includes('Video Settings › Resolution is not available for Seedance 2.0 Fast'),
				`message: ${error?.message}${tail()}`,
			);
			assert.equal(ex.data.resultData.runData.Seedance?.[0]?.error?.message, error.message, 'error not on the Seedance node');
			const posts = (await sandbox.requests()).filter((r) => r.method === 'POST');
			assert.deepEqual(posts, [], 'a bad parameter must not reach Apiframe');
			console.log(`${version} bad parameter error: ${error.message}`);
		});

		test('6c. reference roles reach Apiframe as sentences in the prompt, shown in promptSent', onlyOn2, async () => {
			await sandbox.reset();
			const wf = await n8n.client.importWorkflow(
				singlePromptWorkflow('e2e reference roles', goodCred, 'A dancer spins on a rooftop.', {
					parameters: {
						inputMode: 'reference',
						waitForCompletion: false,
						referenceImages: { entries: [{ url: 'https://example.com/dancer.png', role: '={{ "Character" }}' }] },
						referenceVideos: { entries: [{ url: 'https://example.com/orbit.mp4', role: 'camera' }] },
					},
				}),
			);
			const { ex } = await runToEnd(wf.id);
			assert.equal(ex.status, 'success', summary(ex));
			const sent =
				'A dancer spins on a rooftop.\n' +
				'Keep the character from image 1 (@Image1) consistent: same face, hair and clothing. ' +
				'Replicate the camera movement of video 1 (@Video1).';
			const submits = (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
			assert.deepEqual(submits.map((r) => r.body.prompt), [sent]);
			assert.equal(itemsOf(ex, 'Seedance')[0]?.json.promptSent, sent, summary(ex));
		});

		test('6d. cost: Estimate prices a sheet; Generate over the balance sends nothing, and with Continue On Fail says so on every row', onlyOn2, async () => {
			await sandbox.reset();
			await sandbox.setOptions({ ...QUICK_JOB, credits: 500 });
			try {
				const rows = [
					{ row: 2, prompt: 'A fox at dawn', duration: 5, resolution: '480p' },
					{ row: 3, prompt: 'A fox at noon', duration: 10, resolution: '1080p' },
					{ row: 4, prompt: 'A fox at dusk', duration: 15, resolution: '720p' },
				];
				const fromColumns = { videoSettings: { duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' } };

				const estimateWf = await n8n.client.importWorkflow(
					sheetWorkflow('e2e estimate', goodCred, rows, { parameters: { operation: 'estimate', ...fromColumns } }),
				);
				const estimated = await runToEnd(estimateWf.id);
				assert.equal(estimated.ex.status, 'success', summary(estimated.ex));
				const items = itemsOf(estimated.ex, 'Seedance');
				assert.deepEqual(
					items.map((i) => i.json.estimatedCredits),
					[
						{ low: 20, high: 30, exact: false },
						{ low: 112, high: 304, exact: false },
						{ low: 75, high: 203, exact: false },
					],
				);
				assert.deepEqual(items[0].json.run, {
					estimatedCredits: { low: 207, high: 537 },
					items: 3,
					unpricedItems: 0,
					balance: 500,
					affordable: false,
					shortfall: 37,
					note: null,
				});

				const refused = await runToEnd(
					(await n8n.client.importWorkflow(sheetWorkflow('e2e over balance', goodCred, rows, { parameters: fromColumns }))).id,
				);
				assert.equal(refused.ex.status, 'error', summary(refused.ex));
				const reason = 'The team has 500 credits, but this run may cost up to 537 (estimate 207–537 for 3 items): 37 short';
				assert.equal(refused.ex.data.resultData.error?.message, reason, summary(refused.ex));

				const continued = await runToEnd(
					(
						await n8n.client.importWorkflow(
							sheetWorkflow('e2e over balance, continue', goodCred, rows, { parameters: fromColumns, onError: 'continueRegularOutput' }),
						)
					).id,
				);
				assert.equal(continued.ex.status, 'success', summary(continued.ex));
				assert.deepEqual(
					itemsOf(continued.ex, 'Seedance').map((i) => [i.json.error, i.json.jobId, i.pairedItem?.item]),
					[
						[reason, null, 0],
						[reason, null, 1],
						[reason, null, 2],
					],
				);

				const sent = (await sandbox.requests()).filter((r) => r.method === 'POST');
				assert.deepEqual(sent, [], 'a run over the balance must send nothing');
				console.log(`${version} cost: estimate 207–537 for 3 rows against 500 credits; refused with "${reason}"`);
			} finally {
				await sandbox.setOptions({ credits: 100000 });
			}
		});

		test(`7. a ${BIG_VIDEO_BYTES / 1024 / 1024} MB video grows n8n's memory by less than ${MEMORY_BUDGET_MB} MB`, onlyOn2, async () => {
			await sandbox.reset();
			const wf = await n8n.client.importWorkflow(singlePromptWorkflow('e2e big video', goodCred, 'A long drone flight over a canyon'));
			/** @param {number} kb */
			const mb = (kb) => (kb / 1024).toFixed(1);

			/**
			 * Runs the workflow for a video of `bytes`, sampling the main process's RSS throughout.
			 * @param {number} bytes
			 */
			async function measuredRun(bytes) {
				await sandbox.setOptions({ queueMs: 0, processingMs: 500, videoBytes: bytes });
				const sampler = sampleRss(n8n.server.pid, 100);
				let run;
				try {
					run = await runToEnd(wf.id, { timeoutMs: 180000 });
				} finally {
					run = { ...run, mem: sampler.stop() };
				}
				const curve = run.mem.samples
					.filter((_, i) => i % 5 === 0)
					.map((x) => Math.round(x.kb / 1024))
					.join(' ');
				console.log(
					`${version} memory, ${(bytes / 1024 / 1024).toFixed(0)} MB video: main process RSS ${mb(run.mem.baselineKb)} MB before, ` +
						`peak ${mb(run.mem.peakKb)} MB, growth ${mb(run.mem.growthKb)} MB (${run.mem.samples.length} samples, ` +
						`execution ${secs(run.durationMs)}); MB every 0.5 s: ${curve}`,
				);
				return { ...run, curve };
			}

			try {
				// A 32 MB run first: n8n grows once, by up to ~100 MB, on its first large streamed
				// download whatever the size (1 GB grew it no more than 300 MB). That one-time cost is
				// n8n's; the figure that tells whether a video is held in memory is the next run's.
				const control = await measuredRun(32 * 1024 * 1024);
				assert.equal(control.ex.status, 'success', summary(control.ex));
				const big = await time(`${version} ${BIG_VIDEO_BYTES / 1024 / 1024} MB run`, () => measuredRun(BIG_VIDEO_BYTES));
				const { ex, mem } = big;
				assert.equal(ex.status, 'success', summary(ex));
				const [item] = itemsOf(ex, 'Seedance');
				const ref = item?.binary?.data;
				assert.ok(ref, `no binary data: ${JSON.stringify(item).slice(0, 1000)}`);
				assert.match(ref.id ?? '', /^filesystem/, JSON.stringify(ref));
				assert.ok(
					mem.growthKb / 1024 < MEMORY_BUDGET_MB,
					`RSS grew ${mb(mem.growthKb)} MB (32 MB warm-up run: ${mb(control.mem.growthKb)} MB); MB every 0.5 s: ${big.curve}`,
				);

				// Streamed on both sides, so checking the bytes does not itself hold 300 MB.
				const q = new URLSearchParams({ id: ref.id, action: 'download' });
				const res = await n8n.client.restResponse('GET', `/binary-data?${q}`);
				assert.equal(res.status, 200);
				const stored = await digestStream(res.body);
				assert.equal(stored.bytes, BIG_VIDEO_BYTES, 'stored binary size');
				const expected = await sandbox.fileDigest(item.json.jobId);
				assert.equal(stored.sha256, expected.sha256, 'stored video differs from the sandbox file');
			} finally {
				await sandbox.setOptions({ videoBytes: 1024 * 1024 });
			}
		});

		test('8. the core-node loop users build without this package runs here too: every row submitted once, videos downloaded', onlyOn2, async () => {
			// Imported as shipped, as a user imports it: placeholders and all.
			const shipped = JSON.parse(fs.readFileSync(CORE_LOOP_EXAMPLE, 'utf8'));
			const imported = await n8n.client.importWorkflow(shipped);
			assert.deepEqual(imported.nodes.map((/** @type {any} */ n) => n.name), shipped.nodes.map((/** @type {any} */ n) => n.name));

			await sandbox.reset();
			await sandbox.setOptions(QUICK_JOB);
			const headerCred = await n8n.client.createCredential('httpHeaderAuth', 'Apiframe key header', { name: 'X-API-Key', value: sandbox.apiKey });
			const rows = [
				{ row_number: 2, prompt: 'A heron lands on a pier' },
				{ row_number: 3, prompt: 'A tram crosses a bridge [sandbox:slow=2500]' },
				{ row_number: 4, prompt: 'A kite over dunes [sandbox:fail]' },
			];
			const wf = await n8n.client.importWorkflow(
				coreLoopWorkflow('e2e core-node loop', { apiUrl: sandbox.url, cred: headerCred, rows, waitSeconds: 1 }),
			);
			const { ex } = await runToEnd(wf.id);
			assert.equal(ex.status, 'success', summary(ex));
			/**
			 * Items a node handed on over all its runs (it runs once per round of the loop).
			 * @param {string} node
			 * @returns {any[]}
			 */
			const allRuns = (node) => (ex.data.resultData.runData[node] ?? []).flatMap((/** @type {any} */ run) => run.data?.main?.[0] ?? []);
			const videos = allRuns('Download video');
			assert.deepEqual(videos.map((i) => i.binary?.data?.mimeType).sort(), ['video/mp4', 'video/mp4']);
			assert.deepEqual(allRuns('Job failed').map((i) => i.json.status), ['FAILED']);
			for (const item of videos) {
				const bytes = await n8n.client.downloadBinary(item.binary.data);
				assert.equal(bytes.length, 1024 * 1024, 'stored video size');
			}

			const sent = await sandbox.requests();
			const submits = sent.filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
			assert.deepEqual(
				submits.map((r) => r.headers['idempotency-key']).sort(),
				['sheet-row-2', 'sheet-row-3', 'sheet-row-4'],
			);
			// The slow job needed more rounds of Wait → Read job than the quick ones.
			const reads = sent.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs/'));
			assert.ok(reads.length > rows.length, `${reads.length} job reads for ${rows.length} rows`);
			console.log(`${version} core-node loop: ${rows.length} rows, ${submits.length} submits, ${reads.length} job reads, ${videos.length} videos`);
		});
	});
}
