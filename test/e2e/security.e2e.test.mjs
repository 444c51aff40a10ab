// @ts-check
// The guarantees of docs/security.md, tried as an attacker would in real n8n (2.41.1 and 1.123.81,
// or N8N_E2E_VERSIONS) with the packed package, against stand-in hosts of this test's own on loopback (127.0.0.2 is "another
// host"):
//   - a Base URL that redirects to another host, on every authenticated call the node makes and
//     on the credential test: the run fails naming that host, and the key never arrives there;
//   - a signed progress body sent with `X-Webhook-Event: completed`: no execution, and the
//     genuine completion then starts exactly one;
//   - with Verify Signature off, an unsigned body naming an internal URL: zero requests to it;
//   - a credential with an empty key: a body "signed" with it starts nothing;
//   - a result host that trickles bytes: the download ends at its deadline, the job handed on.
//
//   npm run build && node --test test/e2e/security.e2e.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startN8n } from '../../scripts/n8n/instance.mjs';
import { signDelivery } from './support/deliveries.mjs';
import { startSandboxProcess } from './support/sandbox-process.mjs';
import { packIntoWorkDir } from './support/work-dir.mjs';
import { CREDENTIAL_TYPE, singlePromptWorkflow, triggerWorkflow } from './support/workflows.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSIONS = (process.env.N8N_E2E_VERSIONS || '2.41.1,1.123.81').split(',').map((s) => s.trim()).filter(Boolean);
/** The shortest Download Deadline the node's option allows, in seconds. */
const DEADLINE_SECONDS = 5;

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders }} Seen
 * @typedef {{ origin: string, host: string, requests: Seen[], close(): Promise<void> }} Host
 */

/**
 * A stand-in host on a loopback address, recording every request it gets.
 * @param {string} address
 * @param {(req: http.IncomingMessage, res: http.ServerResponse) => void} respond
 * @returns {Promise<Host>}
 */
async function standInHost(address, respond) {
	/** @type {Seen[]} */
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		respond(req, res);
	});
	await new Promise((resolve) => server.listen(0, address, () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		origin: `http://${address}:${port}`,
		host: `${address}:${port}`,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/** @type {string} */
let workDir;
/** @type {string} */
let tarball;
/** @type {import('./support/sandbox-process.mjs').SandboxProcess} */
let sandbox;
/** @type {import('../../scripts/n8n/instance.mjs').N8nInstance} */
let n8n;
/** "Another host": answers like Apiframe would, so that a key sent there would be a key stolen. @type {Host} */
let elsewhere;
/**
 * The credential's Base URL, as a gateway in front of the sandbox: it redirects what matches
 * `redirectPath` to `elsewhere` and passes everything else on, so that each call can be tried.
 * @type {Host}
 */
let gateway;
/** A host inside the network an unsigned body points at. @type {Host} */
let internal;
/** A result host that sends 1 KiB every 200 ms. @type {Host} */
let trickle;
/** Which requests the gateway redirects. @type {RegExp} */
let redirectPath = /^$/;
/** @type {{ id: string, name: string }} */
let goodCred;
/** @type {{ id: string, name: string }} */
let redirectedCred;
/** Figures printed at the end. @type {string[]} */
const figures = [];

const tail = () => `\n--- n8n log tail ---\n${n8n?.server.logTail(40) ?? '(no n8n)'}`;

/**
 * @param {any} ex
 * @param {string} node
 * @returns {any[]}
 */
const itemsOf = (ex, node) => ex.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

/** @param {any} ex */
const summary = (ex) => JSON.stringify({ id: ex.id, status: ex.status, error: ex.data?.resultData?.error ?? null }).slice(0, 3000) + tail();

/**
 * Imports and runs a workflow to its end.
 * @param {any} workflow
 */
async function runToEnd(workflow) {
	const wf = await n8n.client.importWorkflow(workflow);
	const id = await n8n.client.runWorkflow(wf.id);
	return await n8n.client.waitForExecution(id, { timeoutMs: 60000 });
}

/**
 * POSTs a delivery to a trigger's production URL, signed with `apiKey` unless it is null.
 * @param {string} url
 * @param {unknown} body
 * @param {{ apiKey: string | null, event?: string }} options
 */
async function deliver(url, body, { apiKey, event }) {
	const rawBody = JSON.stringify(body);
	/** @type {Record<string, string>} */
	const headers = { 'content-type': 'application/json' };
	if (event) headers['x-webhook-event'] = event;
	if (apiKey !== null) headers['x-webhook-signature'] = signDelivery(rawBody, apiKey);
	const res = await fetch(url, { method: 'POST', headers, body: rawBody });
	return { status: res.status, body: await res.text() };
}

/**
 * A trigger workflow, activated; `run` gets its webhook URL and a way to read its executions.
 * @param {string} name
 * @param {{ id: string, name: string }} cred
 * @param {Record<string, unknown>} parameters
 * @param {(hook: { url: string, executions: () => Promise<any[]> }) => Promise<void>} run
 */
async function withTrigger(name, cred, parameters, run) {
	const { workflow, webhookPath } = triggerWorkflow(name, cred, { parameters });
	const wf = await n8n.client.importWorkflow(workflow);
	await n8n.client.activate(wf.id, { webhookPath });
	try {
		await run({ url: n8n.client.webhookUrl(webhookPath), executions: () => n8n.client.listExecutions(wf.id) });
	} finally {
		await n8n.client.deactivate(wf.id).catch(() => {});
	}
}

/**
 * The executions of a trigger once `count` have finished (or the time is up).
 * @param {() => Promise<any[]>} executions
 * @param {number} count
 */
async function finishedExecutions(executions, count, timeoutMs = 20000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = (await executions()).filter((e) => e.finished || (e.status && !['new', 'running', 'waiting'].includes(e.status)));
		if (list.length >= count || Date.now() > deadline) return list;
		await sleep(200);
	}
}

before(async () => {
	({ workDir, tarball } = packIntoWorkDir(ROOT));
	sandbox = await startSandboxProcess({ tmpDir: workDir });
	elsewhere = await standInHost('127.0.0.2', (req, res) => {
		req.resume();
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ ok: true, id: crypto.randomUUID(), jobId: crypto.randomUUID(), status: 'QUEUED', url: 'https://x.test/a.png', assetId: 'a' }));
	});
	const upstream = new URL(sandbox.url);
	gateway = await standInHost('127.0.0.1', (req, res) => {
		if (redirectPath.test((req.url ?? '').split('?')[0])) {
			req.resume();
			res.writeHead(302, { location: `${elsewhere.origin}${req.url}` });
			res.end();
			return;
		}
		const forward = http.request(
			{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => res.destroy());
		req.pipe(forward);
	});
	internal = await standInHost('127.0.0.2', (req, res) => {
		req.resume();
		res.writeHead(200, { 'content-type': 'video/mp4' });
		res.end(Buffer.alloc(1024));
	});
	trickle = await standInHost('127.0.0.2', (req, res) => {
		req.resume();
		res.writeHead(200, { 'content-type': 'video/mp4' });
		const drip = setInterval(() => res.write(Buffer.alloc(1024)), 200);
		const stop = setTimeout(() => res.end(), 60000);
		res.on('close', () => {
			clearInterval(drip);
			clearTimeout(stop);
		});
	});
});

after(async () => {
	await Promise.all([gateway, elsewhere, internal, trickle].map((host) => host?.close()));
	await sandbox?.stop();
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	if (figures.length) console.log(figures.join('\n'));
});

/** Every authenticated call, and the credential test, behind a Base URL that redirects to another host. */
function keyStaysWithTheBaseUrl() {
	describe('the key stays with the Base URL', () => {
		const png = fs.readFileSync(path.join(ROOT, 'sandbox', 'assets', 'last-frame.png')).toString('base64');
		/** A Code node's item with a PNG in binary field `img`. */
		const withImage = {
			id: crypto.randomUUID(),
			name: 'Prompt',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [220, 0],
			parameters: {
				jsCode: `return [{ json: { prompt: 'A paper boat' }, binary: { img: { data: '${png}', mimeType: 'image/png', fileName: 'first.png' } } }];`,
			},
		};
		const JOB_ID = crypto.randomUUID();
		const noWait = { waitForCompletion: false };
		/**
		 * Every authenticated call the node makes: the path redirected, and the Seedance node's
		 * parameters that make the call.
		 * @type {Array<[string, RegExp, Record<string, unknown>]>}
		 */
		const calls = [
			['GET /v2/me (Account → Get)', /^\/v2\/me$/, { resource: 'account', operation: 'get' }],
			['GET /v2/models (Generate, the estimate)', /^\/v2\/models$/, noWait],
			['GET /v2/me (Generate, the balance check)', /^\/v2\/me$/, noWait],
			['POST /v2/videos/generate (Generate, the submit)', /^\/v2\/videos\/generate$/, noWait],
			['POST /v2/uploads (Generate from a binary image)', /^\/v2\/uploads$/, { ...noWait, inputMode: 'image', firstFrame: 'img' }],
			['POST /v2/assets/create (Asset → Create)', /^\/v2\/assets\/create$/, { resource: 'asset', operation: 'create', media: 'https://cdn.test/face.png', mediaType: 'image' }],
			['GET /v2/jobs/{id} (Job → Get)', /^\/v2\/jobs\/[0-9a-f-]{36}$/, { resource: 'job', operation: 'get', jobId: JOB_ID, waitForCompletion: false }],
			['GET /v2/jobs (Job → List)', /^\/v2\/jobs$/, { resource: 'job', operation: 'list', returnAll: false, limit: 5 }],
			['GET /v2/jobs/{id} (Generate, waiting)', /^\/v2\/jobs(\/[0-9a-f-]{36})?$/, { waitForCompletion: true }],
		];

		for (const [name, pathPattern, parameters] of calls) {
			test(`a redirect to another host stops ${name}`, async () => {
				redirectPath = pathPattern;
				const t0 = Date.now();
				const workflow = singlePromptWorkflow(`redirect ${name}`, redirectedCred, 'A paper boat', { parameters });
				// Its first frame is the item's binary field, uploaded before the submit.
				if (parameters.firstFrame) workflow.nodes[1] = withImage;
				const ex = await runToEnd(workflow);
				const ms = Date.now() - t0;
				assert.equal(ex.status, 'error', summary(ex));
				const message = String(ex.data?.resultData?.error?.message ?? '');
				assert.ok(
					message.includes(`to another host, ${elsewhere.host}: the request was stopped and the API key was not sent there`),
					`message: ${message}; ${summary(ex)}`,
				);
				assert.ok(
					gateway.requests.some((r) => pathPattern.test(r.url.split('?')[0]) && r.headers['x-api-key'] === sandbox.apiKey),
					`the call never reached the Base URL: ${JSON.stringify(gateway.requests.map((r) => `${r.method} ${r.url}`))}`,
				);
				assert.deepEqual(elsewhere.requests, [], 'a request reached the other host');
				figures.push(`n8n ${n8n.version}: redirect refused: ${name}: run ${ms} ms`);
			});
		}

		test('a redirect to another host fails the credential test, and the key stays home', async () => {
			redirectPath = /^\/v2\/me$/;
			const result = await n8n.client.testCredential(redirectedCred.id);
			assert.equal(result.status, 'Error', JSON.stringify(result));
			// n8n 1.x's credential test reports a redirect with its own words, not the credential's rule.
			const message = n8n.version.startsWith('1.') ? /Request failed with status code 302/ : /The Base URL redirects elsewhere \(302\)/;
			assert.match(result.message, message);
			assert.deepEqual(elsewhere.requests, [], 'the credential test reached the other host');
		});

		test('the key never arrived at the other host', () => {
			const leaked = elsewhere.requests.filter((r) => JSON.stringify(r.headers).includes(sandbox.apiKey));
			assert.deepEqual(leaked, []);
			figures.push(`requests seen by the other host over the whole suite: ${elsewhere.requests.length}`);
		});
	});
}

/** Deliveries that lie: a spoofed event header, an unsigned URL, an empty key, a trickling host. */
function triggerTrustsOnlySignedContent() {
	describe('the trigger trusts only signed content', () => {
		test('a header cannot turn a signed progress event into a completion, and the genuine one then starts exactly one execution', async () => {
			await withTrigger('spoofed header', goodCred, { downloadVideo: false }, async (hook) => {
				const jobId = crypto.randomUUID();
				const spoof = await deliver(hook.url, { jobId, status: 'PROCESSING', progress: 40 }, { apiKey: sandbox.apiKey, event: 'completed' });
				assert.equal(spoof.status, 200, spoof.body);
				assert.deepEqual(JSON.parse(spoof.body), { received: true, ignored: 'event "progress" is not selected' });
				await sleep(1500);
				assert.equal((await hook.executions()).length, 0, 'the spoofed header started an execution');
				const genuine = { event: 'completed', jobId, status: 'COMPLETED', progress: 100, result: { videoUrl: `${sandbox.url}/files/none.mp4` } };
				const answer = await deliver(hook.url, genuine, { apiKey: sandbox.apiKey, event: 'completed' });
				assert.deepEqual(JSON.parse(answer.body), { received: true }, 'the genuine completion was not taken');
				const done = await finishedExecutions(hook.executions, 1);
				await sleep(1000);
				const all = await hook.executions();
				assert.equal(all.length, 1, `executions: ${JSON.stringify(all)}`);
				const ex = await n8n.client.waitForExecution(done[0].id);
				assert.equal(itemsOf(ex, 'Seedance Trigger')[0]?.json?.event, 'completed', summary(ex));
			});
		});

		test('with Verify Signature off, an unsigned body naming an internal URL makes no request to it', async () => {
			await withTrigger('unsigned fetch', goodCred, { verifySignature: false, refetchJob: false, downloadVideo: true }, async (hook) => {
				const jobId = crypto.randomUUID();
				const body = { event: 'completed', jobId, status: 'COMPLETED', progress: 100, result: { videoUrl: `${internal.origin}/secret` } };
				const answer = await deliver(hook.url, body, { apiKey: null, event: 'completed' });
				assert.equal(answer.status, 200, answer.body);
				const [done] = await finishedExecutions(hook.executions, 1);
				assert.ok(done, `no execution${tail()}`);
				const ex = await n8n.client.waitForExecution(done.id);
				const [item] = itemsOf(ex, 'Seedance Trigger');
				assert.equal(item?.json?.jobId, jobId, summary(ex));
				assert.match(String(item.json.downloadSkipped), /Verify Signature is off/);
				assert.equal(item.binary, undefined, 'an unsigned URL was downloaded');
				await sleep(500);
				assert.equal(internal.requests.length, 0, 'the internal URL was requested');
			});
		});

		test('a credential with an empty key verifies nothing, not even a body signed with it', async () => {
			// n8n 1.x refuses to save an empty required field, but not an expression that gives one (an
			// unset variable, say).
			const apiKey = n8n.version.startsWith('1.') ? "={{ '' }}" : '';
			const emptyCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance without a key', { apiKey, baseUrl: sandbox.url });
			await withTrigger('empty key', emptyCred, { downloadVideo: false }, async (hook) => {
				const body = { event: 'completed', jobId: crypto.randomUUID(), status: 'COMPLETED', progress: 100 };
				const answer = await deliver(hook.url, body, { apiKey: '', event: 'completed' });
				assert.equal(answer.status, 500, answer.body);
				await sleep(1500);
				assert.equal((await hook.executions()).length, 0, 'a delivery signed with the empty key started an execution');
			});
		});

		test('a result host that trickles bytes is given up at the Download Deadline, and the job is handed on', async () => {
			const parameters = { downloadVideo: true, options: { downloadDeadline: DEADLINE_SECONDS } };
			await withTrigger('trickling download', goodCred, parameters, async (hook) => {
				const jobId = crypto.randomUUID();
				const body = { event: 'completed', jobId, status: 'COMPLETED', progress: 100, result: { videoUrl: `${trickle.origin}/video.mp4` } };
				const t0 = Date.now();
				const requestsBefore = trickle.requests.length;
				await deliver(hook.url, body, { apiKey: sandbox.apiKey, event: 'completed' });
				const [done] = await finishedExecutions(hook.executions, 1, (DEADLINE_SECONDS + 20) * 1000);
				assert.ok(done, `no execution ended within ${DEADLINE_SECONDS + 20} s: the download was not bounded${tail()}`);
				const ex = await n8n.client.waitForExecution(done.id);
				const ms = Date.now() - t0;
				const [item] = itemsOf(ex, 'Seedance Trigger');
				assert.equal(item?.json?.jobId, jobId, summary(ex));
				assert.match(String(item.json.downloadError), new RegExp(`did not download within ${DEADLINE_SECONDS} seconds`));
				assert.equal(item.binary, undefined);
				assert.equal(trickle.requests.length - requestsBefore, 1, 'the download was retried past its deadline');
				figures.push(`n8n ${n8n.version}: trickling download: Download Deadline ${DEADLINE_SECONDS} s, delivery to finished execution ${ms} ms`);
			});
		});
	});
}

for (const version of VERSIONS) {
	describe(`n8n ${version}`, () => {
		before(async () => {
			const userFolder = path.join(workDir, `n8n-${version}`);
			fs.mkdirSync(userFolder);
			n8n = await startN8n({ version, communityPackage: tarball, binaryDataMode: 'filesystem', userFolder });
			goodCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance sandbox', { apiKey: sandbox.apiKey, baseUrl: sandbox.url });
			redirectedCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance behind a redirect', {
				apiKey: sandbox.apiKey,
				baseUrl: gateway.origin,
			});
		});
		after(async () => {
			await n8n?.stop();
		});
		keyStaysWithTheBaseUrl();
		triggerTrustsOnlySignedContent();
	});
}
