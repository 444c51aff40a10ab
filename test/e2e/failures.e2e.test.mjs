// @ts-check
// What goes wrong between n8n and Apiframe, tried in real n8n 2.41.1 against the sandbox running as
// its own process: a fault matrix (rate-limit storm, 503s, a download cut halfway, purged files, a
// 402 mid-run, a timeout, a cancelled job, a 30 s outage), what a 429 storm and a failing job list
// cost beside a fault-free run of the same rows, then n8n itself killed mid-poll and the README's
// recovery recipe run on the restarted instance. Every case checks that no submitted job is lost
// (each is reported with its jobId) and none is billed twice (the sandbox's ledger against the
// rows), and prints its figures; the tables are in docs/fault-matrix.md.
//
//   npm run build && node --test test/e2e/failures.e2e.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startN8n } from '../../scripts/n8n/instance.mjs';
import { startSandboxProcess } from './support/sandbox-process.mjs';
import { packIntoWorkDir } from './support/work-dir.mjs';
import { CREDENTIAL_TYPE, recoveryWorkflow, sheetWorkflow } from './support/workflows.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = '2.41.1';
const ROWS = 10;
const VIDEO_BYTES = 256 * 1024;
const QUICK_JOB = { queueMs: 100, processingMs: 900, videoBytes: VIDEO_BYTES, credits: 100000 };

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @type {string} */
let workDir;
/** @type {string} */
let userFolder;
/** @type {import('./support/sandbox-process.mjs').SandboxProcess} */
let sandbox;
/** @type {import('../../scripts/n8n/instance.mjs').N8nInstance} */
let n8n;
/** @type {{ id: string, name: string }} */
let credential;
/** Rows of the README's table, printed at the end. @type {string[]} */
const table = [];

const tail = () => `\n--- n8n log tail ---\n${n8n?.server.logTail(40) ?? '(no n8n)'}`;

/** n8n with the package, owner managed by the environment so the same folder starts again after a kill. */
async function startInstance(/** @type {string | undefined} */ tarball) {
	const instance = await startN8n({ version: VERSION, communityPackage: tarball, binaryDataMode: 'filesystem', userFolder, ownerMode: 'env', apiKey: false });
	// A key label is unique per user, and the folder keeps the first start's key.
	await instance.client.createApiKey(`e2e ${crypto.randomUUID().slice(0, 8)}`);
	return instance;
}

before(async () => {
	const packed = packIntoWorkDir(ROOT);
	workDir = packed.workDir;
	const tarball = packed.tarball;
	sandbox = await startSandboxProcess({ tmpDir: workDir });
	userFolder = path.join(workDir, 'n8n');
	fs.mkdirSync(userFolder);
	n8n = await startInstance(tarball);
	credential = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance sandbox', { apiKey: sandbox.apiKey, baseUrl: sandbox.url });
});

after(async () => {
	await n8n?.stop();
	await sandbox?.stop();
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	if (table.length) {
		console.log(
			['| Case | What the user sees | Requests (error or dropped) | Billed | Lost | Billed twice | Run |', '|---|---|---|---|---|---|---|', ...table].join('\n'),
		);
	}
});

/**
 * @param {any} ex
 * @param {string} node
 * @returns {any[]}
 */
const itemsOf = (ex, node) => ex.data?.resultData?.runData?.[node]?.[0]?.data?.main?.[0] ?? [];

/** @param {any} ex */
const summary = (ex) => JSON.stringify({ id: ex.id, status: ex.status, error: ex.data?.resultData?.error ?? null }).slice(0, 3000) + tail();

/**
 * Runs a workflow to its end.
 * @param {string} workflowId
 * @param {number} [timeoutMs]
 */
async function runToEnd(workflowId, timeoutMs = 120000) {
	const t0 = Date.now();
	const id = await n8n.client.runWorkflow(workflowId);
	const ex = await n8n.client.waitForExecution(id, { timeoutMs });
	return { ex, ms: Date.now() - t0 };
}

/**
 * Every item's video is the sandbox's file, byte for byte.
 * @param {any[]} items
 */
async function assertVideos(items) {
	for (const item of items) {
		assert.equal(item.json.status, 'COMPLETED', JSON.stringify(item.json));
		assert.ok(item.binary?.data, `no video on ${item.json.jobId}`);
		const got = await n8n.client.downloadBinary(item.binary.data);
		const expected = await sandbox.fileDigest(item.json.jobId);
		assert.equal(got.length, expected.bytes, `size of ${item.json.jobId}`);
		assert.equal(crypto.createHash('sha256').update(got).digest('hex'), expected.sha256, `bytes of ${item.json.jobId}`);
	}
}

/**
 * No job lost, none billed twice: every job in the ledger belongs to one row (its prompt), no row
 * has two, and each one's ID is in what the run handed over (its items, or its error).
 * @param {any} ex
 * @param {string[]} prompts
 */
async function assertNothingLostOrBilledTwice(ex, prompts) {
	const { jobs } = await sandbox.ledger();
	const rows = jobs.map((j) => j.input?.prompt);
	assert.ok(rows.every((p) => prompts.includes(p)), `a job for no row: ${JSON.stringify(rows)}`);
	assert.equal(new Set(rows).size, rows.length, `a row billed twice: ${JSON.stringify(rows)}`);
	const reported = JSON.stringify({ items: itemsOf(ex, 'Seedance').map((i) => i.json), error: ex.data?.resultData?.error ?? null });
	const lost = jobs.filter((j) => !reported.includes(j.id)).map((j) => j.id);
	assert.deepEqual(lost, [], `jobs the run never reported${tail()}`);
	return jobs;
}

/**
 * @param {import('./support/sandbox-process.mjs').RecordedRequest[]} requests
 */
function requestFigures(requests) {
	const failed = requests.filter((r) => r.status === undefined || r.status >= 400);
	const kinds = {
		submits: requests.filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate').length,
		reads: requests.filter((r) => r.method === 'GET' && (r.path === '/v2/jobs' || r.path.startsWith('/v2/jobs/'))).length,
		files: requests.filter((r) => r.path.startsWith('/files/')).length,
	};
	return { total: requests.length, failed: failed.length, ...kinds };
}

/**
 * One case of the matrix: ten rows through Video → Generate (Wait for Completion and Download Video
 * on, the node's defaults otherwise), with faults queued before the run or during it.
 * @param {object} spec
 * @param {string} spec.name
 * @param {(row: number) => string} [spec.prompt] the prompt of row 1..10 (may carry sandbox directives)
 * @param {Record<string, unknown>} [spec.options] the node's Options
 * @param {Record<string, unknown>} [spec.sandbox] sandbox options for this case
 * @param {Record<string, unknown>[]} [spec.faults] queued before the run
 * @param {(executionId: string) => Promise<void>} [spec.during] runs while the execution runs
 * @param {number} [spec.timeoutMs]
 * @param {number} [spec.rows] how many rows (ten unless given)
 */
async function matrixCase({ name, prompt = (row) => `row ${row}`, options = {}, sandbox: sandboxOptions = {}, faults = [], during, timeoutMs, rows: rowCount = ROWS }) {
	await sandbox.reset();
	await sandbox.setOptions({ ...QUICK_JOB, ...sandboxOptions });
	const marker = crypto.randomUUID().slice(0, 8);
	const prompts = Array.from({ length: rowCount }, (_, i) => `${prompt(i + 1)} (${marker})`);
	const rows = prompts.map((p, i) => ({ row: i + 1, prompt: p }));
	const wf = await n8n.client.importWorkflow(sheetWorkflow(`faults: ${name}`, credential, rows, { options: { pollInterval: 1, ...options } }));
	if (faults.length) await sandbox.pushFaults(faults);
	const t0 = Date.now();
	const id = await n8n.client.runWorkflow(wf.id);
	if (during) await during(id);
	const ex = await n8n.client.waitForExecution(id, { timeoutMs: timeoutMs ?? 120000 });
	const ms = Date.now() - t0;
	const jobs = await assertNothingLostOrBilledTwice(ex, prompts);
	const figures = requestFigures(await sandbox.requests());
	const items = itemsOf(ex, 'Seedance');
	const error = ex.data?.resultData?.error ?? null;
	console.log(`[${name}] execution ${ex.status} in ${secs(ms)}; ${jobs.length} billed; requests ${JSON.stringify(figures)}`);
	if (error) console.log(`[${name}] error: ${error.message}\n[${name}] description: ${String(error.description ?? '').replace(/\n/g, ' / ')}`);
	return { ex, ms, jobs, figures, items, error, prompts };
}

/**
 * @param {string} name
 * @param {string} seen
 * @param {{ ms: number, jobs: unknown[], figures: ReturnType<typeof requestFigures> }} result
 */
function tableRow(name, seen, { ms, jobs, figures }) {
	const anyJob = seen.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<jobId>');
	table.push(`| ${name} | ${anyJob} | ${figures.total} (${figures.failed}) | ${jobs.length} | 0 | 0 | ${secs(ms)} |`);
}

/**
 * Resolves once the sandbox has seen `count` submits and the run polling them: a read of each job
 * by ID, or a page of the job list after the last submit (the node reads a batch that way).
 * @param {number} count
 * @param {number} [timeoutMs]
 */
async function pollingAll(count, timeoutMs = 60000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const requests = await sandbox.requests();
		const isSubmit = (/** @type {{ method: string, path: string, status?: number }} */ r) =>
			r.method === 'POST' && r.path === '/v2/videos/generate' && r.status === 202;
		const submitted = requests.filter(isSubmit).length;
		const lastSubmit = requests.findLastIndex(isSubmit);
		const read = new Set(requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs/') && r.status === 200).map((r) => r.path));
		const listedAfter = requests.slice(lastSubmit + 1).some((r) => r.method === 'GET' && r.path === '/v2/jobs' && r.status === 200);
		if (submitted >= count && (read.size >= count || listedAfter)) return;
		if (Date.now() > deadline) {
			throw new Error(`only ${submitted} submits, ${read.size} jobs read by ID and ${listedAfter ? 'a' : 'no'} list read after ${timeoutMs} ms${tail()}`);
		}
		await sleep(100);
	}
}

describe(`n8n ${VERSION}: the fault matrix (${ROWS} rows each)`, { timeout: 15 * 60 * 1000 }, () => {
	test('a 429 storm with Retry-After: every submit and job read refused for 8 s, then the run completes', async () => {
		const r = await matrixCase({ name: '429 storm', faults: [{ pathRegex: '^/v2/(videos/generate|jobs/)', status: 429, retryAfter: 2, forMs: 8000 }] });
		assert.equal(r.ex.status, 'success', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		await assertVideos(r.items);
		assert.ok(r.figures.failed > 0, 'the storm refused nothing');
		tableRow('429 storm: every submit and job read answered 429 with `Retry-After: 2` for 8 s', `success, ${ROWS} videos`, r);
	});

	test('503 on submit: retried under the same Idempotency-Key, one job per row', async () => {
		const r = await matrixCase({ name: '503 on submit', faults: [{ method: 'POST', path: '/v2/videos/generate', status: 503, times: 8 }] });
		assert.equal(r.ex.status, 'success', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		assert.equal(r.figures.submits, ROWS + 8);
		await assertVideos(r.items);
		// 18 submits under 10 keys: each retry repeated its row's key (a refused submit's body is not recorded).
		const submits = (await sandbox.requests()).filter((req) => req.method === 'POST');
		assert.equal(new Set(submits.map((req) => req.headers['idempotency-key'])).size, ROWS);
		tableRow('503 on the first 8 submits', `success, ${ROWS} videos`, r);
	});

	test('a connection reset in the middle of a video download: retried, the stored bytes exact', async () => {
		const r = await matrixCase({
			name: 'download reset',
			sandbox: { videoBytes: 1024 * 1024 },
			faults: [{ method: 'GET', pathRegex: '^/files/.*\\.mp4$', dropAfterBytes: 300 * 1024, times: 4 }],
		});
		assert.equal(r.ex.status, 'success', summary(r.ex));
		await assertVideos(r.items);
		assert.equal(r.figures.files, ROWS + 4, 'each cut download was fetched again');
		tableRow('Connection reset after 300 KB of a 1 MB video, 4 downloads', `success, ${ROWS} videos, byte-exact`, r);
	});

	test('result files unreachable for 30 s: the downloads wait, the stored bytes exact', async () => {
		const r = await matrixCase({ name: 'CDN outage', faults: [{ pathRegex: '^/files/', drop: true, forMs: 30000 }], timeoutMs: 180000 });
		assert.equal(r.ex.status, 'success', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		await assertVideos(r.items);
		tableRow('Result files unreachable for 30 s (every download connection reset)', `success, ${ROWS} videos, byte-exact`, r);
	});

	test("a result URL that 404s because the job expired: the error says so, with the job's ID", async () => {
		const r = await matrixCase({ name: 'expired', prompt: (row) => (row === 4 ? `row ${row} [sandbox:expired]` : `row ${row}`) });
		assert.equal(r.ex.status, 'error', summary(r.ex));
		const expired = r.jobs.find((j) => j.expired);
		assert.ok(expired, 'no expired job');
		assert.equal(r.jobs.length, ROWS);
		assert.match(r.error.message, new RegExp(`The video of Seedance job ${expired.id} is no longer available \\(HTTP 404\\)`));
		assert.match(r.error.description, /purged/);
		tableRow("Row 4's job `expired`: its video URL answers 404", `error: "${r.error.message}"; the description lists all ${ROWS} job IDs`, r);
	});

	test('402 on the 7th submit: the earlier jobs are reported, nothing is billed twice', async () => {
		// Each row costs 50 credits (5 s at 720p); 320 covers six. The balance check would refuse the run whole.
		const r = await matrixCase({ name: '402', sandbox: { credits: 320 }, options: { checkBalance: false } });
		assert.equal(r.ex.status, 'error', summary(r.ex));
		assert.equal(r.jobs.length, 6);
		assert.match(r.error.message, /402|credits/i);
		tableRow('402 on the 7th submit (balance for 6 jobs; *Check Balance Before Submitting* off)', `error: "${r.error.message}"; the 6 billed jobs listed with their IDs`, r);
	});

	test('a job still PROCESSING at the timeout: the error gives its ID', async () => {
		const r = await matrixCase({
			name: 'timeout',
			prompt: (row) => (row === 5 ? `row ${row} [sandbox:slow=600000]` : `row ${row}`),
			options: { timeout: 10 },
		});
		assert.equal(r.ex.status, 'error', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		const slow = r.jobs.find((j) => j.status === 'PROCESSING');
		assert.ok(slow);
		assert.match(r.error.message, new RegExp(`Timed out after 10 s waiting for Seedance job ${slow.id} \\(still PROCESSING`));
		tableRow("Row 5's job still PROCESSING at *Timeout* 10 s", `error: "${r.error.message}"`, r);
	});

	test('a CANCELLED job: the error gives its ID', async () => {
		const r = await matrixCase({ name: 'cancelled', prompt: (row) => (row === 3 ? `row ${row} [sandbox:cancel]` : `row ${row}`) });
		assert.equal(r.ex.status, 'error', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		const cancelled = r.jobs.find((j) => j.status === 'CANCELLED');
		assert.ok(cancelled);
		assert.match(r.error.message, new RegExp(`Seedance job ${cancelled.id} was cancelled`));
		tableRow("Row 3's job CANCELLED", `error: "${r.error.message}"`, r);
	});

	test('Apiframe unreachable for 30 s mid-poll: every request dropped, then the run completes', async () => {
		let outageAt = 0;
		const r = await matrixCase({
			name: '30 s outage',
			prompt: (row) => `row ${row} [sandbox:slow=4000]`,
			during: async () => {
				await pollingAll(ROWS);
				outageAt = Date.now();
				await sandbox.pushFaults({ drop: true, forMs: 30000 });
			},
			timeoutMs: 180000,
		});
		console.log(`[30 s outage] began ${secs(outageAt - Date.parse(r.ex.startedAt))} into the run`);
		assert.equal(r.ex.status, 'success', summary(r.ex));
		assert.equal(r.jobs.length, ROWS);
		await assertVideos(r.items);
		tableRow('Apiframe unreachable for 30 s mid-poll (every connection reset)', `success, ${ROWS} videos`, r);
	});
});

/** What a fault costs over the same rows without it, in the same n8n: printed at the end. @type {string[]} */
const costTable = [];
const POLL_INTERVAL_S = 1;
/** Jobs of about 3 s, as Seedance's are of about two minutes: long enough for several polls. */
const THREE_SECOND_JOB = { queueMs: 500, processingMs: 2500 };

/** Runs a case and its fault-free twin this many times each, alternating: the medians are compared. */
const COST_PAIRS = 3;
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Runs the same rows without the fault and with it, alternating, COST_PAIRS times each in the same
 * n8n; checks that every run succeeds with every video byte-exact and prints the ratio of the
 * medians and the goal: the fault may cost at most `allowedS` seconds more than the fault-free run
 * (printed, not asserted: a figure of a shared machine is no test).
 * @param {object} spec
 * @param {string} spec.name
 * @param {string} spec.fault how the table names the fault
 * @param {number} spec.rows
 * @param {Record<string, unknown>[]} [spec.faults] queued before the run
 * @param {(executionId: string) => Promise<void>} [spec.during] runs while the run with the fault runs
 * @param {number} spec.allowedS
 * @param {string} spec.goal how the table states the goal
 */
async function costOfFault({ name, fault, rows, faults = [], during, allowedS, goal }) {
	/** @type {number[]} */
	const cleanMs = [];
	/** @type {number[]} */
	const faultyMs = [];
	/** @type {ReturnType<typeof requestFigures> | undefined} */
	let faultyFigures;
	/** @type {ReturnType<typeof requestFigures> | undefined} */
	let cleanFigures;
	for (let pair = 1; pair <= COST_PAIRS; pair++) {
		const clean = await matrixCase({ name: `${name}, fault-free #${pair}`, rows, sandbox: THREE_SECOND_JOB });
		assert.equal(clean.ex.status, 'success', summary(clean.ex));
		assert.equal(clean.items.length, rows);
		await assertVideos(clean.items);
		cleanMs.push(clean.ms);
		cleanFigures = clean.figures;
		const faulty = await matrixCase({ name: `${name} #${pair}`, rows, sandbox: THREE_SECOND_JOB, faults, during, timeoutMs: 300000 });
		assert.equal(faulty.ex.status, 'success', summary(faulty.ex));
		assert.equal(faulty.jobs.length, rows);
		assert.equal(faulty.items.length, rows);
		await assertVideos(faulty.items);
		faultyMs.push(faulty.ms);
		faultyFigures = faulty.figures;
	}
	const [withFault, without] = [median(faultyMs), median(cleanMs)];
	const costS = (withFault - without) / 1000;
	const met = costS <= allowedS;
	console.log(
		`[${name}] median ${secs(withFault)} against ${secs(without)} fault-free (${(withFault / without).toFixed(2)}×, ${costS >= 0 ? '+' : ''}${costS.toFixed(1)} s; runs ${faultyMs.map(secs).join(', ')} against ${cleanMs.map(secs).join(', ')}); goal ${goal}: ${met ? 'met' : 'MISSED'}`,
	);
	costTable.push(
		`| ${fault} (${rows} rows) | ${secs(withFault)} | ${secs(without)} | ${(withFault / without).toFixed(2)}× | ${costS >= 0 ? '+' : ''}${costS.toFixed(1)} s | ${goal}: ${met ? 'met' : '**missed**'} | ${faultyFigures?.reads} (${faultyFigures?.failed} failed) | ${cleanFigures?.reads} |`,
	);
}

describe(`n8n ${VERSION}: what a fault costs beside a fault-free run of the same rows`, { timeout: 15 * 60 * 1000 }, () => {
	after(() => {
		if (costTable.length === 0) return;
		console.log(
			[
				`| Fault | Run (median of ${COST_PAIRS}) | Fault-free run (median of ${COST_PAIRS}) | Ratio | Cost | Goal | Job reads, last run (failed requests) | Fault-free job reads |`,
				'|---|---|---|---|---|---|---|---|',
				...costTable,
			].join('\n'),
		);
	});

	const everyListRead = { method: 'GET', path: '/v2/jobs', forMs: 600000 };
	const poll = `≤ +${POLL_INTERVAL_S} s (one poll interval)`;

	test('a 429 storm with Retry-After: 1 for 8 s costs its length, plus one poll interval at most', async () => {
		await costOfFault({
			name: '429 storm, Retry-After: 1, 8 s',
			fault: 'Every submit, job list and job read answered 429 with `Retry-After: 1` for 8 s',
			rows: 12,
			faults: [{ pathRegex: '^/v2/(videos/generate|jobs)', status: 429, retryAfter: 1, forMs: 8000 }],
			allowedS: 8 + POLL_INTERVAL_S,
			goal: `≤ +${8 + POLL_INTERVAL_S} s (its 8 s and one poll interval)`,
		});
	});

	test('a 429 storm with Retry-After: 1 for 8 s on every job read, once polling has begun, costs its length, plus one poll interval at most', async () => {
		// The reads' storm: before Retry-After was honoured on the last attempt, the list's 6th 429
		// held the whole execution for 16 s.
		const rows = 12;
		await costOfFault({
			name: '429 storm mid-poll, Retry-After: 1, 8 s',
			fault: 'Once polling has begun, the job list and every job read answered 429 with `Retry-After: 1` for 8 s',
			rows,
			during: async () => {
				await pollingAll(rows);
				await sandbox.pushFaults({ method: 'GET', pathRegex: '^/v2/jobs', status: 429, retryAfter: 1, forMs: 8000 });
			},
			allowedS: 8 + POLL_INTERVAL_S,
			goal: `≤ +${8 + POLL_INTERVAL_S} s (its 8 s and one poll interval)`,
		});
	});

	test('a job list answering 500 for the whole run costs one poll interval at most', async () => {
		await costOfFault({ name: 'job list 500', fault: '`GET /v2/jobs` answers 500 for the whole run', rows: 30, faults: [{ ...everyListRead, status: 500 }], allowedS: POLL_INTERVAL_S, goal: poll });
	});

	test('a job list answering 429 for the whole run costs one poll interval at most', async () => {
		await costOfFault({
			name: 'job list 429',
			fault: '`GET /v2/jobs` answers 429 (`Retry-After: 1`) for the whole run',
			rows: 30,
			faults: [{ ...everyListRead, status: 429, retryAfter: 1 }],
			allowedS: POLL_INTERVAL_S,
			goal: poll,
		});
	});

	test('a job list 3 s stale for the whole run costs one poll interval at most', async () => {
		await costOfFault({ name: 'job list stale by 3 s', fault: '`GET /v2/jobs` answers as it stood 3 s earlier, for the whole run', rows: 30, faults: [{ ...everyListRead, staleMs: 3000 }], allowedS: POLL_INTERVAL_S, goal: poll });
	});

	test('a job list that is missing (404) costs one poll interval at most', async () => {
		await costOfFault({ name: 'job list missing', fault: '`GET /v2/jobs` answers 404 for the whole run', rows: 30, faults: [{ ...everyListRead, status: 404 }], allowedS: POLL_INTERVAL_S, goal: poll });
	});
});

describe(`n8n ${VERSION}: killed mid-poll, then the README's recovery recipe`, { timeout: 10 * 60 * 1000 }, () => {
	test('SIGKILL while 10 rows poll; restart; Job → List + Job → Get find every job and video; re-running the rows bills nothing', async () => {
		await sandbox.reset();
		await sandbox.setOptions(QUICK_JOB);
		const marker = crypto.randomUUID().slice(0, 8);
		const rows = Array.from({ length: ROWS }, (_, i) => ({ row: i + 1, prompt: `[sandbox:slow=20000] ${marker} row ${i + 1}` }));
		// A row-stable key, as the README recommends for re-runnable sheets.
		const generate = sheetWorkflow('crash: generate', credential, rows, {
			options: { pollInterval: 1, idempotencyKey: `=${marker}-row-{{ $json.row }}` },
		});
		const wf = await n8n.client.importWorkflow(generate);
		const executionId = await n8n.client.runWorkflow(wf.id);
		await pollingAll(ROWS);

		// 1. The crash: n8n and its task runner, all at once.
		n8n.server.kill();
		await n8n.server.exited;
		const killedAt = Date.now();
		const billed = (await sandbox.ledger()).jobs;
		assert.equal(billed.length, ROWS, 'ten jobs billed before the kill');
		assert.ok(billed.every((j) => j.status === 'PROCESSING' || j.status === 'QUEUED'), 'the jobs were still running at the kill');
		console.log(`[crash] killed n8n (SIGKILL to its process group) with ${billed.length} jobs PROCESSING`);

		// 2. n8n again, on the same folder.
		n8n = await startInstance(undefined);
		console.log(`[crash] restarted in ${secs(Date.now() - killedAt)}`);
		const crashed = await n8n.client.api('GET', `/executions/${executionId}?includeData=true`);
		console.log(`[crash] the killed execution now shows: status ${crashed.status}, startedAt ${crashed.startedAt}, stoppedAt ${crashed.stoppedAt}`);
		assert.notEqual(crashed.status, 'success');
		assert.ok(crashed.startedAt, 'the execution keeps its start time');

		// 3. The README's recipe: Job → List since the run began, then Job → Get on each jobId.
		const recover = await n8n.client.importWorkflow(recoveryWorkflow('crash: recover', credential, crashed.startedAt));
		const recovered = await runToEnd(recover.id);
		assert.equal(recovered.ex.status, 'success', summary(recovered.ex));
		const ids = billed.map((j) => j.id).sort();
		assert.deepEqual(itemsOf(recovered.ex, 'Find').map((i) => i.json.jobId).sort(), ids, 'Job → List found exactly the run\'s jobs');
		const collected = itemsOf(recovered.ex, 'Collect');
		assert.deepEqual(collected.map((i) => i.json.jobId).sort(), ids);
		await assertVideos(collected);
		console.log(`[crash] recovery: Job → List found ${ids.length} jobs, Job → Get collected ${collected.length} videos in ${secs(recovered.ms)}`);

		// 4. The same rows again, same keys: Apiframe answers with the jobs already billed.
		const requestsBefore = (await sandbox.requests()).length;
		const rerun = await runToEnd(wf.id);
		assert.equal(rerun.ex.status, 'success', summary(rerun.ex));
		const again = itemsOf(rerun.ex, 'Seedance');
		assert.deepEqual(again.map((i) => i.json.jobId).sort(), ids, 'the re-run got the same jobs back');
		await assertVideos(again);
		const billedAfter = (await sandbox.ledger()).jobs;
		assert.equal(billedAfter.length, ROWS, 'the re-run billed nothing new');
		const replays = (await sandbox.requests()).slice(requestsBefore).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
		assert.equal(replays.length, ROWS);
		assert.ok(replays.every((r) => r.status === 202));
		console.log(`[crash] re-run of the ${ROWS} rows: ${replays.length} submits answered with the existing jobs, ${billedAfter.length} jobs billed in total, ${secs(rerun.ms)}`);
	});
});
