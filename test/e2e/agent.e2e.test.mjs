// The Seedance node as an AI Agent's tool in a real n8n 2.41.1: n8n's AI Agent with the OpenAI
// Chat Model, whose credential points at a scripted OpenAI-compatible stub, and the Seedance tool
// against the Apiframe sandbox. The stub first calls the tool with a resolution the model does not
// offer, then corrects it from the error text it got back, then answers from the tool's result.
//
//   npm run build && node --test --test-concurrency=1 test/e2e/agent.e2e.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { startN8n } from '../../scripts/n8n/instance.mjs';
import { answer, startOpenAiStub, toolCall } from './support/openai-stub.mjs';
import { startSandboxProcess } from './support/sandbox-process.mjs';
import { packIntoWorkDir } from './support/work-dir.mjs';
import { agentWorkflow, CREDENTIAL_TYPE, SEEDANCE_TOOL } from './support/workflows.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = '2.41.1';
const { validateGenerateVideoRequest } = await import(path.join(ROOT, 'dist', 'sandbox', 'openapi', 'index.js'));

const MODEL = 'seedance-2-fast';
const BAD_ARGS = { prompt: 'A paper boat drifts down a rainy street gutter', duration: 6, resolution: '1080p' };
const GOOD_ARGS = { ...BAD_ARGS, resolution: '720p' };

/** @typedef {import('./support/openai-stub.mjs').ChatRequest} ChatRequest */

/**
 * Text of the tool messages the agent sent back to the model, in order.
 * @param {ChatRequest} request
 */
const toolMessages = (request) =>
	request.messages.filter((m) => m.role === 'tool').map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));

/** @param {ChatRequest} request */
const toolName = (request) => request.tools?.[0]?.function?.name;

/**
 * The model's side: a bad call, a corrected one, then an answer made of the tool's result.
 * @param {ChatRequest} request
 * @param {number} turn
 */
function script(request, turn) {
	const name = toolName(request);
	if (!name) throw new Error(`request ${turn} offers no tool: ${JSON.stringify(request).slice(0, 500)}`);
	if (turn === 0) return toolCall(name, BAD_ARGS, 'call_bad');
	if (turn === 1) return toolCall(name, GOOD_ARGS, 'call_good');
	const [result] = JSON.parse(toolMessages(request).at(-1) ?? '[]');
	return answer(`Your clip is ready. Job ID: ${result.jobId}. Video: ${result.videoUrl}`);
}

/** @type {string} */
let workDir;
/** @type {import('./support/sandbox-process.mjs').SandboxProcess} */
let sandbox;
/** @type {Awaited<ReturnType<typeof startOpenAiStub>>} */
let stub;
/** @type {import('../../scripts/n8n/instance.mjs').N8nInstance} */
let n8n;

before(async () => {
	const packed = packIntoWorkDir(ROOT);
	workDir = packed.workDir;
	const tarball = packed.tarball;
	sandbox = await startSandboxProcess({ tmpDir: workDir, args: ['--queue-ms', '100', '--processing-ms', '900'] });
	stub = await startOpenAiStub(script);
	await ensureN8n(VERSION);
	const userFolder = path.join(workDir, `n8n-${VERSION}`);
	fs.mkdirSync(userFolder);
	n8n = await startN8n({ version: VERSION, communityPackage: tarball, binaryDataMode: 'filesystem', userFolder });
});

after(async () => {
	await n8n?.stop();
	await stub?.stop();
	await sandbox?.stop();
	if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test('n8n lists the Seedance tool variant', async () => {
	const types = await n8n.client.nodeTypes();
	const tool = types.find((t) => t.name === SEEDANCE_TOOL);
	assert.ok(tool, `${SEEDANCE_TOOL} not among ${types.length} node types`);
	assert.deepEqual(tool.outputs, ['ai_tool']);
});

test('an AI Agent fixes a rejected call from the error text and reports the job it made', { timeout: 5 * 60 * 1000 }, async () => {
	try {
		await agentRun();
	} catch (error) {
		// A failed fetch says why only in its cause (a refused or reset connection, a timeout).
		const cause = error.cause ? ` (cause: ${error.cause.code ?? ''} ${error.cause.message ?? error.cause})` : '';
		error.message += `${cause}\n--- n8n log ---\n${n8n.server.logTail(60)}`;
		throw error;
	}
});

async function agentRun() {
	const seedanceCred = await n8n.client.createCredential(CREDENTIAL_TYPE, 'Seedance sandbox', { apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	const openAiCred = await n8n.client.createCredential('openAiApi', 'OpenAI stub', { apiKey: 'sk-stub', url: stub.url });
	const wf = await n8n.client.importWorkflow(agentWorkflow('Agent makes a clip', { seedanceCred, openAiCred, model: MODEL }));
	const executionId = await n8n.client.runWorkflow(wf.id);
	const ex = await n8n.client.waitForExecution(executionId, { timeoutMs: 3 * 60 * 1000 });
	const error = JSON.stringify(ex.data?.resultData?.error ?? null).slice(0, 2000);
	assert.equal(ex.status, 'success', `execution ${executionId} ${ex.status}: ${error}`);

	// The model was asked three times: the bad call, the corrected call, the answer.
	assert.equal(stub.requests.length, 3, `model stub calls: ${stub.calls.join(', ')}`);
	const [badError, result] = toolMessages(stub.requests[2]);

	// The bad call's error reached the model as text naming the field and the allowed values
	// (n8n passes on the error's message, not its description).
	assert.deepEqual(JSON.parse(badError), [
		{ error: 'Video Settings › Resolution is not available for Seedance 2.0 Fast: choose 480p, 720p' },
	]);

	// Exactly one job (the bad call billed nothing), with the model's corrected arguments, valid
	// against the OpenAPI file.
	const submits = (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/videos/generate');
	assert.equal(submits.length, 1, `submits: ${JSON.stringify(submits.map((s) => s.body))}`);
	const body = submits[0].body;
	assert.deepEqual(body, {
		model: MODEL,
		prompt: GOOD_ARGS.prompt,
		seedanceParams: { duration: GOOD_ARGS.duration, resolution: GOOD_ARGS.resolution },
	});
	const verdict = validateGenerateVideoRequest(body);
	assert.ok(verdict.valid, JSON.stringify(verdict.errors));

	// The tool handed the agent JSON with the job ID and the video URL (it cannot see binary data).
	const [job] = JSON.parse(result);
	assert.equal(job.status, 'COMPLETED');
	assert.match(job.jobId, /\S/);
	assert.match(job.videoUrl, /^http:\/\/127\.0\.0\.1:\d+\/files\/.+\.mp4$/);

	// The agent's answer carries both.
	const agentOut = ex.data.resultData.runData['AI Agent'][0].data.main[0][0].json.output;
	assert.ok(agentOut.includes(job.jobId), `answer lacks the job ID: ${agentOut}`);
	assert.ok(agentOut.includes(job.videoUrl), `answer lacks the video URL: ${agentOut}`);
	console.log(`agent answer: ${agentOut}`);
	console.log(`model stub calls: ${stub.calls.join(', ')}`);
	console.log(`error text the model saw: ${badError}`);
}
