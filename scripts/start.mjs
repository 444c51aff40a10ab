#!/usr/bin/env node
// @ts-check
// `npm start`: a real n8n with this package installed, a Seedance API credential and demo
// workflows, against the local Apiframe sandbox (or, with APIFRAME_API_KEY set, the real API).
//
//   npm start                                  # sandbox on :5799, n8n on :5678
//   APIFRAME_API_KEY=afk_... npm start         # the real Apiframe API (runs are billed)
//   APIFRAME_BASE_URL=https://proxy npm start  # another Apiframe address (with APIFRAME_API_KEY)
//   WEBHOOK_URL=https://public.example/ npm start   # n8n's public address, for Apiframe's callbacks
//
// Ctrl-C or SIGTERM stops n8n and the sandbox.

import os from 'node:os';
import { CACHE_ROOT, killActiveChildren } from './n8n/install.mjs';
import {
	APIFRAME_DEFAULT_URL,
	DEMO_OWNER,
	DEMO_USER_FOLDER,
	DEMO_WEBHOOK_PATH,
	N8N_VERSION,
	PREFERRED_N8N_PORT,
	PREFERRED_SANDBOX_PORT,
	STATE_FILE,
} from './start/config.mjs';
import { build, pack } from './start/build.mjs';
import { ensureRuntime, installPackage, startDemoN8n } from './start/n8n.mjs';
import { pickPort } from './start/ports.mjs';
import { ensureCredential, ensureWorkflows, publishTrigger, unpublishTrigger, workflowWithRole } from './start/provision.mjs';
import { startSandbox } from './start/sandbox.mjs';
import { clearState, readRunningState, writeState } from './start/state.mjs';

/** @typedef {import('./start/provision.mjs').DemoCredential} DemoCredential */
/** @typedef {import('./start/provision.mjs').DemoWorkflow} DemoWorkflow */
/** @typedef {{ baseUrl: string, apiKey: string, sandbox: boolean }} ApiTarget */

const t0 = Date.now();
/** @param {number} ms */
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** @param {string} p */
const home = (p) => p.replace(os.homedir(), '~');
const say = (line = '') => process.stdout.write(`${line}\n`);

/** @type {import('./n8n/process.mjs').N8nProcess | null} */
let n8n = null;
/** @type {ReturnType<typeof startSandbox> | null} */
let sandbox = null;
/** @type {Set<import('node:child_process').ChildProcess>} */
const buildChildren = new Set();
/** @type {Promise<void> | null} */
let stopping = null;

/**
 * @template T
 * @param {string} label
 * @param {() => Promise<T> | T} fn
 * @returns {Promise<T>}
 */
async function step(label, fn) {
	const started = Date.now();
	say(`› ${label}`);
	const result = await fn();
	say(`  done in ${secs(Date.now() - started)}`);
	return result;
}

/**
 * Stops whatever was started, in parallel; n8n gets a few seconds before its group is killed.
 * @param {string} reason
 * @param {number} exitCode
 */
function shutdown(reason, exitCode) {
	if (stopping) return stopping;
	const what = [n8n && 'n8n', sandbox && 'the sandbox'].filter(Boolean).join(' and ');
	say(`\n${reason}: stopping${what ? ` ${what}` : ''}...`);
	const stoppedAt = Date.now();
	killActiveChildren();
	for (const child of buildChildren) child.kill('SIGTERM');
	stopping = Promise.allSettled([n8n?.stop({ graceMs: 8000 }), sandbox?.stop()]).then((results) => {
		for (const r of results) if (r.status === 'rejected') say(`  ${r.reason?.message ?? r.reason}`);
		clearState();
		say(`Stopped in ${secs(Date.now() - stoppedAt)}.`);
		process.exit(exitCode);
	});
	return stopping;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		if (stopping) {
			// A second Ctrl-C: do not wait for the graceful stop.
			n8n?.kill();
			sandbox?.child.kill('SIGKILL');
			process.exit(130);
		}
		shutdown(signal, 0);
	});
}

// Under `npm start`, a SIGTERM sent to npm ends npm and its shell without reaching this process.
// Their exit makes this process an orphan (another parent pid): stop then, rather than linger.
if (process.env.npm_lifecycle_event) {
	const parent = process.ppid;
	setInterval(() => {
		if (process.ppid !== parent) shutdown('npm exited', 0);
	}, 500).unref();
}

async function main() {
	const running = readRunningState();
	if (running) {
		say(`The demo is already running (pid ${running.pid})${running.editorUrl ? ` at ${running.editorUrl}` : ''}.`);
		say(`Stop it first (Ctrl-C in its terminal, or kill -TERM ${running.pid}); ${home(STATE_FILE)} says where it runs.`);
		process.exit(1);
	}
	writeState({ status: 'starting' });

	const realKey = process.env.APIFRAME_API_KEY?.trim();
	const apiBaseUrl = (process.env.APIFRAME_BASE_URL?.trim() || APIFRAME_DEFAULT_URL).replace(/\/+$/, '');
	say(`Starting n8n ${N8N_VERSION} with n8n-nodes-seedance, against ${realKey ? `the Apiframe API at ${apiBaseUrl}` : 'the local Apiframe sandbox'}.\n`);

	const install = await step(`Installing n8n ${N8N_VERSION} into ${home(CACHE_ROOT)} (10 to 20 minutes the first time, then cached)`, () =>
		ensureRuntime(),
	);
	await step('Building the package (tsc, icons)', () => build({ onSpawn: (c) => (buildChildren.add(c), c.on('exit', () => buildChildren.delete(c))) }));
	const tarball = await step('Packing it (npm pack)', () => pack());

	/** @type {ApiTarget} */
	let api;
	if (realKey) {
		api = { baseUrl: apiBaseUrl, apiKey: realKey, sandbox: false };
	} else {
		const sbPort = await pickPort(PREFERRED_SANDBOX_PORT);
		const { sb, started } = await step(`Starting the Apiframe sandbox on port ${sbPort.port}${sbPort.moved ? ` (${PREFERRED_SANDBOX_PORT} is busy)` : ''}`, async () => {
			const sb = (sandbox = startSandbox({ port: sbPort.port }));
			return { sb, started: await sb.ready };
		});
		api = { baseUrl: started.url, apiKey: started.apiKey, sandbox: true };
		sb.exited.then(({ code, signal }) => {
			if (!stopping) shutdown(`The sandbox exited (${signal ?? `code ${code}`}; see ${home(sb.logFile)})`, 1);
		});
	}

	const n8nPort = await pickPort(PREFERRED_N8N_PORT);
	const editorUrl = `http://127.0.0.1:${n8nPort.port}`;
	// Apiframe's callbacks go to WEBHOOK_URL; by default that is n8n itself, which only the sandbox reaches.
	const publicWebhookBase = process.env.WEBHOOK_URL?.trim();
	const webhookBase = (publicWebhookBase || `${editorUrl}/`).replace(/\/?$/, '/');
	const notifyUrl = `${webhookBase}webhook/${DEMO_WEBHOOK_PATH}`;
	const webhookReachable = api.sandbox || (!!publicWebhookBase && !/\/\/(127\.|localhost|\[::1\])/.test(publicWebhookBase));

	await step('Installing the package into n8n as a community package', () => installPackage(tarball));
	const { server, client } = await step(`Starting n8n on port ${n8nPort.port}${n8nPort.moved ? ` (${PREFERRED_N8N_PORT} is busy)` : ''}`, async () => {
		try {
			return await startDemoN8n({
				install,
				port: n8nPort.port,
				webhookUrl: webhookBase,
				onSpawn: (spawned) => {
					n8n = spawned;
					spawned.exited.then(({ code, signal }) => {
						if (!stopping) shutdown(`n8n exited (${signal ?? `code ${code}`}; see ${home(spawned.logFile)})`, 1);
					});
				},
			});
		} catch (err) {
			if (n8n) err.message += `\n--- last lines of ${home(n8n.logFile)} ---\n${n8n.logTail(30)}`;
			throw err;
		}
	});

	const { credential, workflows, trigger } = await step('Setting up the credential and the workflows', async () => {
		const credential = await ensureCredential(client, api);
		const workflows = await ensureWorkflows(client, { credential, notifyUrl });
		const triggerWf = workflowWithRole(workflows, 'trigger');
		// Published only where the callbacks can arrive; otherwise it would wait for nothing.
		const trigger = webhookReachable
			? await publishTrigger(client, triggerWf.id)
			: { unpublished: await unpublishTrigger(client, triggerWf.id) };
		return { credential, workflows, trigger };
	});

	writeState({
		status: 'running',
		editorUrl,
		email: DEMO_OWNER.email,
		password: DEMO_OWNER.password,
		sandboxUrl: api.sandbox ? api.baseUrl : null,
		workflows: Object.fromEntries(workflows.map((w) => [w.role === 'example' ? w.id : w.role, w.id])),
	});

	printSummary({ editorUrl, api, credential, workflows, trigger, notifyUrl, webhookReachable, n8nLog: server.logFile });
}

/**
 * @param {object} started
 * @param {string} started.editorUrl
 * @param {ApiTarget} started.api
 * @param {DemoCredential} started.credential
 * @param {DemoWorkflow[]} started.workflows
 * @param {{ alreadyLive: boolean } | { unpublished: boolean }} started.trigger
 * @param {string} started.notifyUrl
 * @param {boolean} started.webhookReachable
 * @param {string} started.n8nLog
 */
function printSummary({ editorUrl, api, credential, workflows, trigger, notifyUrl, webhookReachable, n8nLog }) {
	const line = '─'.repeat(78);
	/** @param {string} id */
	const wfUrl = (id) => `${editorUrl}/workflow/${id}`;
	/** @param {string} role */
	const byRole = (role) => workflowWithRole(workflows, role);
	const credTest = credential.test?.status === 'OK' ? 'test OK' : `test FAILED: ${credential.test?.message}`;
	say(`\n${line}`);
	say(` n8n ${N8N_VERSION} with the Seedance nodes is running (ready in ${secs(Date.now() - t0)})`);
	say('');
	say(` Editor     ${editorUrl}`);
	say(` Login      ${DEMO_OWNER.email}  /  ${DEMO_OWNER.password}`);
	if (api.sandbox) {
		say(` Apiframe   local sandbox ${api.baseUrl} (key ${api.apiKey}): jobs finish in about 3 s, nothing is billed`);
	} else {
		say(` Apiframe   ${api.baseUrl} with your APIFRAME_API_KEY: every video generated is billed to your account`);
	}
	say('');
	say(' Set up');
	say(`   Credential "${credential.name}" (${credential.created ? 'created' : 'updated'}) → ${api.sandbox ? 'the sandbox' : api.baseUrl}; ${credTest}`);
	const t2v = byRole('textToVideo');
	say(`   "${t2v.name}" [${t2v.status}]`);
	say(`      ${wfUrl(t2v.id)}  open it and click "Execute workflow": 3 videos as binary data`);
	const submit = byRole('submit');
	const trig = byRole('trigger');
	say(`   "${submit.name}" [${submit.status}]`);
	say(`      ${wfUrl(submit.id)}  submits 2 jobs at once; Apiframe then calls the trigger below`);
	say(`   "${trig.name}" [${trig.status}]`);
	say(`      ${wfUrl(trig.id)}  ${webhookReachable ? 'published' : 'NOT published'}, production URL ${notifyUrl}`);
	if (!webhookReachable) {
		say(`      Apiframe calls from the internet and cannot reach ${notifyUrl}, so the trigger`);
		say(`      ${'unpublished' in trigger && trigger.unpublished ? 'was unpublished' : 'is left unpublished'}. Set WEBHOOK_URL to a public address of this n8n (a tunnel) and restart to use it.`);
	} else {
		say(`      its executions appear under ${editorUrl}/home/executions`);
	}
	for (const w of workflows.filter((x) => x.role === 'example')) {
		say(`   "${w.name}" [${w.status}]`);
		const list = w.needs.length > 1 ? `${w.needs.slice(0, -1).join(', ')} and ${w.needs.at(-1)}` : w.needs[0];
		const needs = w.needs.length ? `needs your ${list} credentials` : 'runs as it is';
		say(`      ${wfUrl(w.id)}  example from ${w.file}; ${needs}`);
	}
	say('');
	say(` Data       ${home(DEMO_USER_FOLDER)} (kept between starts; delete it to start afresh)`);
	say(` Logs       ${home(n8nLog)}${sandbox ? `, ${home(sandbox.logFile)}` : ''}`);
	say(` Stop       Ctrl-C here, or kill -TERM ${process.pid}`);
	say(line);
}

main().catch((err) => {
	say(`\nnpm start failed: ${process.env.DEBUG ? err.stack : err.message}`);
	shutdown('Error', 1);
});
