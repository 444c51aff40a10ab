// @ts-check
// Proves the e2e infrastructure against real n8n 2.41.1 and 1.123.81 with a throwaway probe
// community package (not this repository's nodes): install from cache, start, list types,
// credential test (good and bad key), a manual run with a binary download, and a webhook run.
//
//   node --test test/e2e/
//   N8N_E2E_VERSIONS=2.41.1 node --test test/e2e/  # one version only

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { startN8n } from '../../scripts/n8n/instance.mjs';
/** @typedef {import('../../scripts/n8n/instance.mjs').N8nInstance} N8nInstance */
import { buildProbePackage, PROBE_CREDENTIAL_TYPE, PROBE_NODE_TYPE } from '../../scripts/n8n/probe-package.mjs';
import { coreWebhookWorkflow } from './support/workflows.mjs';

const VERSIONS = (process.env.N8N_E2E_VERSIONS || '2.41.1,1.123.81').split(',').map((s) => s.trim()).filter(Boolean);
const GOOD_KEY = 'secret-key';
const FILE_BYTES = crypto.randomBytes(256 * 1024);

/** @type {Record<string, number>} */
const timings = {};
/**
 * @param {string} label
 * @param {number} ms
 */
function timed(label, ms) {
	timings[label] = ms;
	console.log(`timing ${label}: ${(ms / 1000).toFixed(2)} s`);
}
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
		timed(label, Date.now() - t0);
	}
}

/**
 * @typedef {object} ApiServer
 * @property {http.Server} server
 * @property {{ method?: string, url?: string, key: string | string[] | null }[]} seen
 * @property {string} url
 */

/**
 * Local stand-in for a remote API: checks X-API-Key and records what it was sent.
 * @returns {Promise<ApiServer>}
 */
function startApiServer() {
	/** @type {ApiServer['seen']} */
	const seen = [];
	const server = http.createServer((req, res) => {
		seen.push({ method: req.method, url: req.url, key: req.headers['x-api-key'] ?? null });
		if (req.headers['x-api-key'] !== GOOD_KEY) {
			res.writeHead(401, { 'content-type': 'application/json' });
			return res.end(JSON.stringify({ error: 'Unauthorized' }));
		}
		if (req.url === '/ping') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end('{"ok":true}');
		}
		if (req.url === '/data') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end(JSON.stringify({ hello: 'world', n: 42 }));
		}
		if (req.url === '/file') {
			res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': FILE_BYTES.length });
			return res.end(FILE_BYTES);
		}
		res.writeHead(404);
		res.end();
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			resolve({ server, seen, url: `http://127.0.0.1:${port}` });
		}),
	);
}

/** @param {string} credId */
function manualWorkflow(credId) {
	return {
		name: 'e2e manual probe',
		nodes: [
			{ id: 'a1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'Probe',
				type: PROBE_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { path: '/data', download: true },
				credentials: { [PROBE_CREDENTIAL_TYPE]: { id: credId, name: 'good' } },
			},
		],
		connections: { Manual: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** @type {ReturnType<typeof buildProbePackage>} */
let probe;
/** @type {ApiServer} */
let api;

before(async () => {
	api = await startApiServer();
	probe = await time('pack probe package', async () => buildProbePackage());
});

after(() => {
	// n8n keeps HTTP connections alive; close them or the file lingers until they time out.
	api?.server.closeAllConnections();
	api?.server.close();
	probe?.cleanup();
	console.log(`timings ${JSON.stringify(timings)}`);
});

for (const version of VERSIONS) {
	describe(`n8n ${version}`, { timeout: 30 * 60 * 1000 }, () => {
		/** @type {N8nInstance} */
		let n8n;

		before(async () => {
			// First run installs (minutes); later runs hit the cache.
			const inst = await time(`${version} install`, () => ensureN8n(version));
			console.log(`${version} install ${inst.cached ? 'cached' : 'fresh'}`);
			n8n = await time(`${version} start (package install + readiness + owner + api key)`, () =>
				startN8n({ version, communityPackage: probe.tarball }),
			);
			for (const [k, v] of Object.entries(n8n.timings)) timed(`${version} ${k}`, v);
		});

		after(async () => {
			if (!n8n) return;
			const log = n8n.server.log();
			// Evidence that the offline settings held.
			const phoneHome = log.split('\n').filter((l) => /ENOTFOUND|api\.n8n\.io/.test(l));
			if (phoneHome.length) console.log(`${version} network complaints:\n${phoneHome.slice(0, 5).join('\n')}`);
			await time(`${version} stop`, () => n8n.stop());
		});

		test('lists the probe node and credential types', async () => {
			const nodes = await time(`${version} list node types`, () => n8n.client.nodeTypes());
			const creds = await n8n.client.credentialTypes();
			assert.ok(nodes.some((n) => n.name === PROBE_NODE_TYPE), `${PROBE_NODE_TYPE} not in ${nodes.length} node types`);
			assert.ok(creds.some((c) => c.name === PROBE_CREDENTIAL_TYPE), `${PROBE_CREDENTIAL_TYPE} not listed`);
			const cred = creds.find((c) => c.name === PROBE_CREDENTIAL_TYPE);
			console.log(`${version}: ${nodes.length} node types, ${creds.length} credential types; supportedNodes=${JSON.stringify(cred.supportedNodes)}`);
		});

		/** @type {{ id: string, name: string }} */
		let goodCred;
		test('credential test passes with the right key and fails with a wrong one', async () => {
			goodCred = await n8n.client.createCredential(PROBE_CREDENTIAL_TYPE, 'good', { apiKey: GOOD_KEY, baseUrl: api.url });
			const badCred = await n8n.client.createCredential(PROBE_CREDENTIAL_TYPE, 'bad', { apiKey: 'wrong', baseUrl: api.url });
			const ok = await time(`${version} credential test`, () => n8n.client.testCredential(goodCred.id));
			assert.equal(ok.status, 'OK', JSON.stringify(ok));
			const bad = await n8n.client.testCredential(badCred.id);
			assert.equal(bad.status, 'Error', JSON.stringify(bad));
			assert.ok(api.seen.some((r) => r.url === '/ping' && r.key === GOOD_KEY));
			assert.ok(api.seen.some((r) => r.url === '/ping' && r.key === 'wrong'));
		});

		test('Manual Trigger -> probe runs, sends the key and stores binary data on disk', async () => {
			const wf = await n8n.client.importWorkflow(manualWorkflow(goodCred.id));
			const seenBefore = api.seen.length;
			const ex = await time(`${version} manual run to finished`, async () =>
				n8n.client.waitForExecution(await n8n.client.runWorkflow(wf.id)),
			);
			assert.equal(ex.status, 'success', JSON.stringify(ex.data?.resultData?.error ?? ex).slice(0, 2000));
			const item = ex.data.resultData.runData.Probe[0].data.main[0][0];
			assert.deepEqual(item.json, { hello: 'world', n: 42 });
			const sent = api.seen.slice(seenBefore);
			assert.ok(sent.some((r) => r.url === '/data' && r.key === GOOD_KEY), JSON.stringify(sent));
			assert.match(item.binary.data.id, /^filesystem/);
			const bytes = await time(`${version} binary download`, () => n8n.client.downloadBinary(item.binary.data));
			assert.ok(bytes.equals(FILE_BYTES), `binary differs: ${bytes.length} bytes`);
			const list = await n8n.client.listExecutions(wf.id);
			assert.ok(list.some((e) => String(e.id) === String(ex.id)));
		});

		test('activated Webhook -> probe runs on a POST', async () => {
			const webhookPath = `e2e-${version.replace(/\./g, '-')}`;
			const { workflow } = coreWebhookWorkflow('e2e webhook probe', {
				path: webhookPath,
				next: {
					name: 'Probe',
					type: PROBE_NODE_TYPE,
					typeVersion: 1,
					parameters: { path: '/data', download: false },
					credentials: { [PROBE_CREDENTIAL_TYPE]: { id: goodCred.id, name: 'good' } },
				},
			});
			const wf = await n8n.client.importWorkflow(workflow);
			await time(`${version} activate until webhook live`, () => n8n.client.activate(wf.id, { webhookPath }));
			const res = await fetch(n8n.client.webhookUrl(webhookPath), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ from: 'smoke' }),
			});
			await res.arrayBuffer();
			assert.equal(res.status, 200);
			const deadline = Date.now() + 30000;
			/** @type {any[]} */
			let list = [];
			while (Date.now() < deadline) {
				list = await n8n.client.listExecutions(wf.id);
				if (list.some((e) => e.status === 'success')) break;
				await new Promise((r) => setTimeout(r, 200));
			}
			const done = list.find((e) => e.status === 'success');
			assert.ok(done, JSON.stringify(list));
			assert.equal(done.mode, 'webhook');
			const ex = await n8n.client.waitForExecution(done.id);
			assert.deepEqual(ex.data.resultData.runData.Webhook[0].data.main[0][0].json.body, { from: 'smoke' });
			await n8n.client.deactivate(wf.id);
		});

		test('reports resident memory of the server and its task runner', () => {
			const mem = n8n.server.memory();
			assert.ok(mem.mainRssKb > 0);
			console.log(
				`${version} memory: main pid ${mem.pid} ${(mem.mainRssKb / 1024).toFixed(0)} MB; ` +
					`runner ${mem.runner ? `pid ${mem.runner.pid} ${(mem.runner.rssKb / 1024).toFixed(0)} MB` : 'none'}; ` +
					`children ${mem.children.length}`,
			);
		});
	});
}
