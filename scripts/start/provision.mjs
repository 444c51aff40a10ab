// @ts-check
// Creates or refreshes what the demo needs inside n8n: the credential, the workflows and the
// published demo trigger. Safe to run at every start: nothing is duplicated, and workflows that
// already exist keep the user's edits (only references that would be broken are repaired).

import fs from 'node:fs';
import path from 'node:path';
import {
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	DEMO_WEBHOOK_PATH,
	REPO_ROOT,
	SEEDANCE_NODE_TYPE,
	SEEDANCE_TRIGGER_TYPE,
	workflowSpecs,
} from './config.mjs';

/** @typedef {import('../n8n/client.mjs').N8nClient} N8nClient */
/** @typedef {import('../n8n/client.mjs').WorkflowNode} WorkflowNode */

/**
 * The demo's credential as set up at this start.
 * @typedef {object} DemoCredential
 * @property {string} id
 * @property {string} name
 * @property {boolean} created         false when an earlier start's credential was updated
 * @property {Set<string>} knownIds    every credential id in this n8n, to tell a broken reference
 * @property {{ status: string, message?: string }} test the credential type's own test
 */

const OUR_TYPES = new Set([SEEDANCE_NODE_TYPE, SEEDANCE_TRIGGER_TYPE]);
// A notify URL an earlier start wrote: local, pointing at the demo trigger, maybe another port.
const LOCAL_NOTIFY_URL = new RegExp(`^https?://(127\\.0\\.0\\.1|localhost)(:\\d+)?/webhook/${DEMO_WEBHOOK_PATH}$`);

/**
 * Finds the credential by name and type, points it at the chosen API, or creates it.
 * @param {N8nClient} client
 * @param {{ baseUrl: string, apiKey: string }} api
 * @returns {Promise<DemoCredential>}
 */
export async function ensureCredential(client, { baseUrl, apiKey }) {
	const data = { apiKey, baseUrl };
	/** @type {{ id: string, name: string, type: string }[]} */
	const all = await client.rest('GET', '/credentials');
	const found = all.find((c) => c.name === CREDENTIAL_NAME && c.type === CREDENTIAL_TYPE);
	let cred;
	if (found) {
		cred = await client.rest('PATCH', `/credentials/${found.id}`, { name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data });
	} else {
		cred = await client.rest('POST', '/credentials', { name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data });
	}
	// The credential type's own test (GET /v2/me): catches a wrong key before a workflow runs.
	const test = await client
		.rest('POST', '/credentials/test', {
			credentials: { id: cred.id, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data },
		})
		.catch((err) => ({ status: 'Error', message: err.message }));
	return {
		id: cred.id,
		name: CREDENTIAL_NAME,
		created: !found,
		knownIds: new Set([...all.map((c) => c.id), cred.id]),
		test,
	};
}

/**
 * @param {string} file path from the repository root
 * @returns {{ nodes: WorkflowNode[], [key: string]: any }}
 */
function readWorkflow(file) {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'));
}

/**
 * Points the credential of every Seedance node at ours; returns whether anything changed.
 * @param {WorkflowNode[]} nodes
 * @param {DemoCredential} credential
 * @param {{ onlyBroken: boolean }} options
 */
function wireCredential(nodes, credential, { onlyBroken }) {
	let changed = false;
	for (const node of nodes) {
		if (!OUR_TYPES.has(node.type)) continue;
		const current = node.credentials?.[CREDENTIAL_TYPE]?.id;
		if (onlyBroken && current && credential.knownIds.has(current)) continue;
		if (current === credential.id) continue;
		node.credentials = { ...node.credentials, [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
		changed = true;
	}
	return changed;
}

/**
 * Sets the notify URL of every Seedance node that has one; returns whether anything changed.
 * @param {WorkflowNode[]} nodes
 * @param {string} notifyUrl
 * @param {{ onlyOurs: boolean }} options only URLs an earlier start wrote
 */
function setNotifyUrl(nodes, notifyUrl, { onlyOurs }) {
	let changed = false;
	for (const node of nodes) {
		if (node.type !== SEEDANCE_NODE_TYPE) continue;
		const options = node.parameters?.options;
		if (!options || options.notifyWebhookUrl === undefined || options.notifyWebhookUrl === notifyUrl) continue;
		if (onlyOurs && !LOCAL_NOTIFY_URL.test(options.notifyWebhookUrl)) continue;
		options.notifyWebhookUrl = notifyUrl;
		changed = true;
	}
	return changed;
}

// Core nodes that run without a credential of their own.
const SELF_CONTAINED = new Set(
	['manualTrigger', 'code', 'noOp', 'if', 'set', 'merge', 'filter', 'switch', 'wait', 'splitOut', 'aggregate', 'stickyNote'].map(
		(t) => `n8n-nodes-base.${t}`,
	),
);

/**
 * Display names of the other services a workflow needs credentials for, e.g. ['Google Sheets'].
 * @param {WorkflowNode[]} nodes
 */
function servicesNeeded(nodes) {
	const names = nodes
		.filter((n) => !OUR_TYPES.has(n.type) && !SELF_CONTAINED.has(n.type))
		.map((n) => n.type.replace(/^.*\./, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()));
	return [...new Set(names)];
}

/**
 * @param {N8nClient} client
 * @param {string} id
 */
async function getWorkflowOrNull(client, id) {
	try {
		return await client.getWorkflow(id);
	} catch (err) {
		if (err.status === 404 || err.status === 400) return null;
		throw err;
	}
}

/**
 * One demo or example workflow as this start left it.
 * @typedef {object} DemoWorkflow
 * @property {string} id
 * @property {string} name
 * @property {string} role     'textToVideo' | 'submit' | 'trigger' | 'example'
 * @property {string} file     path of its JSON from the repository root
 * @property {'imported' | 'updated' | 'kept'} status
 * @property {string[]} needs  other services it needs credentials for
 */

/**
 * The workflow with this role; the demo's own roles are always there.
 * @param {DemoWorkflow[]} workflows
 * @param {string} role
 */
export function workflowWithRole(workflows, role) {
	const found = workflows.find((w) => w.role === role);
	if (!found) throw new Error(`no workflow with the role ${role} among ${workflows.map((w) => w.file).join(', ')}`);
	return found;
}

/**
 * Imports the workflows under their fixed ids, or repairs the existing ones: a Seedance node
 * whose credential no longer exists gets ours, and the demo's local notify URL follows the port.
 * @param {N8nClient} client
 * @param {{ credential: DemoCredential, notifyUrl: string }} options
 * @returns {Promise<DemoWorkflow[]>}
 */
export async function ensureWorkflows(client, { credential, notifyUrl }) {
	/** @type {DemoWorkflow[]} */
	const out = [];
	for (const spec of workflowSpecs()) {
		const json = readWorkflow(spec.file);
		const existing = await getWorkflowOrNull(client, spec.id);
		/** @type {DemoWorkflow['status']} */
		let status;
		let wf;
		if (!existing) {
			wireCredential(json.nodes, credential, { onlyBroken: false });
			if (spec.role === 'submit') setNotifyUrl(json.nodes, notifyUrl, { onlyOurs: false });
			const { active: _active, ...body } = json;
			wf = await client.rest('POST', '/workflows', { settings: {}, ...body, id: spec.id });
			status = 'imported';
		} else {
			const nodes = structuredClone(existing.nodes);
			const credChanged = wireCredential(nodes, credential, { onlyBroken: true });
			const urlChanged = spec.role === 'submit' && setNotifyUrl(nodes, notifyUrl, { onlyOurs: true });
			if (credChanged || urlChanged) {
				wf = await client.rest('PATCH', `/workflows/${spec.id}`, { versionId: existing.versionId, nodes });
				status = 'updated';
			} else {
				wf = existing;
				status = 'kept';
			}
		}
		out.push({ id: spec.id, name: wf.name, role: spec.role, file: spec.file, status, needs: servicesNeeded(json.nodes) });
	}
	return out;
}

/**
 * Publishes the demo trigger workflow (again when its saved version is newer than the live
 * one) and waits until its webhook answers. Returns whether it was already live.
 * @param {N8nClient} client
 * @param {string} id
 */
export async function publishTrigger(client, id) {
	const wf = await client.getWorkflow(id);
	const live = wf.active && (!wf.activeVersionId || wf.activeVersionId === wf.versionId);
	if (live) {
		await client.waitForWebhook(DEMO_WEBHOOK_PATH, { timeoutMs: 30000 });
		return { alreadyLive: true };
	}
	await client.activate(id, { webhookPath: DEMO_WEBHOOK_PATH });
	return { alreadyLive: false };
}

/**
 * Unpublishes the demo trigger (an earlier start against the sandbox published it); returns whether it was live.
 * @param {N8nClient} client
 * @param {string} id
 */
export async function unpublishTrigger(client, id) {
	const wf = await client.getWorkflow(id);
	if (!wf.active) return false;
	await client.deactivate(id);
	return true;
}
