// @ts-check
// Workflow JSON for the end-to-end tests, built from core nodes that run offline (Manual Trigger,
// Set, Code, NoOp) around the package's nodes.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { STUB_MODEL } from './openai-stub.mjs';

export const PKG = 'n8n-nodes-seedance';
export const SEEDANCE = `${PKG}.seedance`;
export const SEEDANCE_TRIGGER = `${PKG}.seedanceTrigger`;
/** The variant n8n derives from a `usableAsTool` node for AI Agents: the node's name plus `Tool`. */
export const SEEDANCE_TOOL = `${PKG}.seedanceTool`;
export const CREDENTIAL_TYPE = 'seedanceApi';

/** @typedef {{ id: string, name: string }} CredentialRef */
/**
 * @typedef {{ name?: string, parameters?: Record<string, unknown>, options?: Record<string, unknown>,
 *   onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput' }} SeedanceSettings
 */

/** @param {...string} names nodes connected in a row */
const connect = (...names) =>
	Object.fromEntries(names.slice(0, -1).map((from, i) => [from, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

/** @param {CredentialRef} cred */
function credentialRef(cred) {
	return { [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } };
}

/**
 * Seedance › Video › Generate with the given parameters over the defaults a user would start from.
 * @param {CredentialRef} cred
 * @param {SeedanceSettings} [settings]
 */
export function seedanceNode(cred, { name = 'Seedance', parameters = {}, options = {}, onError } = {}) {
	return {
		id: crypto.randomUUID(),
		name,
		...(onError ? { onError } : {}),
		type: SEEDANCE,
		typeVersion: 1,
		position: [440, 0],
		// The node's resume webhook (Wait Method › Sleep Until Apiframe Calls Back) needs one.
		webhookId: crypto.randomUUID(),
		parameters: {
			resource: 'video',
			operation: 'generate',
			model: 'seedance-2',
			prompt: '={{ $json.prompt }}',
			inputMode: 'text',
			videoSettings: {},
			waitForCompletion: true,
			downloadVideo: true,
			...parameters,
			options: { pollInterval: 1, ...options },
		},
		credentials: credentialRef(cred),
	};
}

const manual = () => ({
	id: crypto.randomUUID(),
	name: 'Manual',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

/**
 * Set node giving one item { prompt }.
 * @param {string} prompt
 */
const onePrompt = (prompt) => ({
	id: crypto.randomUUID(),
	name: 'Prompt',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [220, 0],
	parameters: {
		mode: 'manual',
		assignments: { assignments: [{ id: crypto.randomUUID(), name: 'prompt', value: prompt, type: 'string' }] },
		options: {},
	},
});

/**
 * Code node giving one item per row, as a spreadsheet read would.
 * @param {Record<string, unknown>[]} rows
 */
const sheetRows = (rows) => ({
	id: crypto.randomUUID(),
	name: 'Rows',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [220, 0],
	parameters: {
		jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));`,
	},
});

/**
 * Manual Trigger → Set (one prompt) → Seedance.
 * @param {string} name
 * @param {CredentialRef} cred
 * @param {string} prompt
 * @param {SeedanceSettings} [seedance]
 */
export function singlePromptWorkflow(name, cred, prompt, seedance = {}) {
	const nodes = [manual(), onePrompt(prompt), seedanceNode(cred, seedance)];
	return { name, nodes, connections: connect('Manual', 'Prompt', 'Seedance'), settings: { executionOrder: 'v1' } };
}

/**
 * Manual Trigger → Code (one item per prompt) → Seedance.
 * @param {string} name
 * @param {CredentialRef} cred
 * @param {string[]} prompts
 * @param {SeedanceSettings} [seedance]
 */
export function batchWorkflow(name, cred, prompts, seedance = {}) {
	return sheetWorkflow(name, cred, prompts.map((prompt, i) => ({ row: i + 2, prompt })), seedance);
}

/**
 * Manual Trigger → Code (one item per row, with its columns) → Seedance.
 * @param {string} name
 * @param {CredentialRef} cred
 * @param {Record<string, unknown>[]} rows
 * @param {SeedanceSettings} [seedance]
 */
export function sheetWorkflow(name, cred, rows, seedance = {}) {
	const nodes = [manual(), sheetRows(rows), seedanceNode(cred, seedance)];
	return { name, nodes, connections: connect('Manual', 'Rows', 'Seedance'), settings: { executionOrder: 'v1' } };
}

/** What a user builds without this package: core nodes only (see the file). */
export const CORE_LOOP_EXAMPLE = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
	'scripts',
	'bench',
	'without-this-node-core-loop.json',
);
/** The host the example calls. */
const APIFRAME = 'https://api.apiframe.ai';

/**
 * The core-node loop example made runnable: pointed at `apiUrl`, with the given HTTP Header Auth
 * credential and Wait interval, and these rows in place of its Google Sheets read. Its videos
 * are the items of its `Download video` node.
 * @param {string} name
 * @param {{ apiUrl: string, cred: CredentialRef, rows: Record<string, unknown>[], waitSeconds: number }} options
 */
export function coreLoopWorkflow(name, { apiUrl, cred, rows, waitSeconds }) {
	const example = JSON.parse(fs.readFileSync(CORE_LOOP_EXAMPLE, 'utf8').replaceAll(APIFRAME, apiUrl));
	for (const node of example.nodes) {
		if (node.credentials?.httpHeaderAuth) node.credentials.httpHeaderAuth = { id: cred.id, name: cred.name };
		if (node.type === 'n8n-nodes-base.wait') node.parameters.amount = waitSeconds;
		if (node.name === 'Read prompts') Object.assign(node, sheetRows(rows), { name: node.name, id: node.id, position: node.position });
	}
	return { ...example, name };
}

/**
 * The README's recovery recipe for a run that died: Manual Trigger → Job → List (every job created
 * since `createdAfter`) → Job → Get on each listed jobId, waiting for it and downloading its video.
 * @param {string} name
 * @param {CredentialRef} cred
 * @param {string} createdAfter ISO time, the crashed execution's start
 */
export function recoveryWorkflow(name, cred, createdAfter) {
	const find = seedanceNode(cred, {
		name: 'Find',
		parameters: { resource: 'job', operation: 'list', returnAll: true, filters: { createdAfter } },
	});
	const collect = seedanceNode(cred, {
		name: 'Collect',
		parameters: { resource: 'job', operation: 'get', jobId: '={{ $json.jobId }}', waitForCompletion: true, downloadVideo: true },
	});
	return { name, nodes: [manual(), find, collect], connections: connect('Manual', 'Find', 'Collect'), settings: { executionOrder: 'v1' } };
}

/**
 * Seedance Trigger (webhook path `<webhookId>/seedance`) → NoOp; version 2 unless told, as a
 * trigger added today is.
 * @param {string} name
 * @param {CredentialRef} cred
 * @param {{ webhookId?: string, parameters?: Record<string, unknown>, typeVersion?: number }} [options]
 */
export function triggerWorkflow(name, cred, { webhookId = crypto.randomUUID(), parameters = {}, typeVersion = 2 } = {}) {
	const nodes = [
		{
			id: crypto.randomUUID(),
			name: 'Seedance Trigger',
			type: SEEDANCE_TRIGGER,
			typeVersion,
			position: [0, 0],
			webhookId,
			parameters: {
				events: ['completed', 'failed'],
				verifySignature: true,
				refetchJob: false,
				downloadVideo: true,
				options: {},
				...parameters,
			},
			credentials: credentialRef(cred),
		},
		{ id: crypto.randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	];
	return {
		workflow: { name, nodes, connections: connect('Seedance Trigger', 'Done'), settings: { executionOrder: 'v1' } },
		webhookPath: `${webhookId}/seedance`,
	};
}

/**
 * n8n's own Webhook node (POST, answering as soon as it is received) → `next` (a NoOp unless
 * given): what a user builds to receive posts without the Seedance Trigger.
 * @param {string} name
 * @param {{ path?: string, next?: { name: string, type: string, typeVersion: number, parameters: object, credentials?: object } }} [options]
 */
export function coreWebhookWorkflow(name, { path: webhookPath = crypto.randomUUID(), next = { name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} } } = {}) {
	const nodes = [
		{
			id: crypto.randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: crypto.randomUUID(),
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
		},
		{ id: crypto.randomUUID(), position: [220, 0], ...next },
	];
	return { workflow: { name, nodes, connections: connect('Webhook', next.name), settings: { executionOrder: 'v1' } }, webhookPath };
}

/**
 * Manual Trigger → AI Agent, with the OpenAI Chat Model (Chat Completions, not the Responses API)
 * and the Seedance tool: the model fills in prompt, duration and resolution; the model stays fixed.
 */
/**
 * @param {string} name
 * @param {{ seedanceCred: CredentialRef, openAiCred: CredentialRef, model: string, prompt?: string }} parts
 */
export function agentWorkflow(name, { seedanceCred, openAiCred, model, prompt = 'Make a short video of a paper boat in the rain and give me its link.' }) {
	const tool = {
		id: crypto.randomUUID(),
		name: 'Seedance',
		type: SEEDANCE_TOOL,
		typeVersion: 1,
		position: [440, 200],
		parameters: {
			resource: 'video',
			operation: 'generate',
			model,
			prompt: "={{ $fromAI('prompt', 'What the video shows: subject, action, setting, camera, style', 'string') }}",
			inputMode: 'text',
			videoSettings: {
				duration: "={{ $fromAI('duration', 'Length of the video in seconds, a whole number from 4 to 15', 'number') }}",
				resolution: "={{ $fromAI('resolution', 'Video resolution: 480p or 720p', 'string') }}",
			},
			waitForCompletion: true,
			downloadVideo: true,
			options: { pollInterval: 1 },
		},
		credentials: credentialRef(seedanceCred),
	};
	const nodes = [
		manual(),
		{
			id: crypto.randomUUID(),
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [220, 0],
			parameters: { promptType: 'define', text: prompt, options: {} },
		},
		{
			id: crypto.randomUUID(),
			name: 'OpenAI Chat Model',
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			typeVersion: 1.3,
			position: [220, 200],
			parameters: {
				model: { __rl: true, mode: 'list', value: STUB_MODEL },
				responsesApiEnabled: false,
				options: {},
			},
			credentials: { openAiApi: { id: openAiCred.id, name: openAiCred.name } },
		},
		tool,
	];
	const connections = {
		...connect('Manual', 'AI Agent'),
		'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
		Seedance: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
	};
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}
