// Starts and drives a real n8n (2.x or 1.x) against a throwaway user folder, for end-to-end
// tests of this package. The server runs on Node 24 from the cache made by install.mjs; the
// caller may run on Node 20.
//
//   const n8n = await startN8n({ version: '2.41.1', communityPackage: '/tmp/pkg.tgz' });
//   const cred = await n8n.createCredential('seedanceApi', 'Seedance', { apiKey: '...' });
//   ...
//   await n8n.stop();

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureN8n, DEFAULT_N8N_VERSION } from './install.mjs';

/** The owner account every instance is set up with (log in to the editor with it when debugging). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	// n8n requires 8-64 chars with a digit and an uppercase letter.
	password: 'Passw0rd!e2e',
};

// Keeps n8n from calling its own servers (telemetry, templates, banners, licence, MCP registry);
// without these it logs failed fetches to api.n8n.io on this offline machine.
export const OFFLINE_ENV = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_HIRING_BANNER_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
};

/** OFFLINE_ENV plus what only the given major knows; 1.x aborts at startup on an unknown module name. */
export function offlineEnv(major) {
	// 2.x: a system task fetches api.n8n.io/api/mcp-servers unless the module is off.
	return major >= 2 ? { ...OFFLINE_ENV, N8N_DISABLED_MODULES: 'mcp-registry' } : { ...OFFLINE_ENV };
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The environment minus settings an outer `npm run` exports that would redirect a nested npm. */
function nestedNpmEnv() {
	const env = { ...process.env };
	for (const k of Object.keys(env)) {
		if (/^npm_(config_(prefix|local_prefix|global|location|dry_run)|package_|lifecycle_)/i.test(k)) delete env[k];
	}
	return env;
}

/** Packs a package folder with `npm pack`; returns the absolute path of the tarball. */
export function npmPack(pkgDir, destDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'))) {
	const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', destDir], {
		cwd: pkgDir,
		env: nestedNpmEnv(),
		encoding: 'utf8',
		// A prepack/prepare script (e.g. a build) may run here; let its errors surface.
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (r.status !== 0) throw new Error(`npm pack failed in ${pkgDir}:\n${r.stderr}${r.stdout}`);
	const name = r.stdout.trim().split('\n').pop().trim();
	return path.join(destDir, name);
}

/**
 * Installs a package tarball the way n8n's community-package installer does: into
 * <userFolder>/.n8n/nodes with peer dependencies left out (n8n-workflow etc. then resolve to
 * n8n's own copies through the NODE_PATH n8n sets at startup).
 */
export function installCommunityPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pj = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pj)) {
		fs.writeFileSync(pj, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	const r = spawnSync(
		'npm',
		['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', path.resolve(tarball)],
		{ cwd: nodesDir, env: nestedNpmEnv(), encoding: 'utf8' },
	);
	if (r.status !== 0) throw new Error(`npm install of ${tarball} failed:\n${r.stderr}${r.stdout}`);
	return nodesDir;
}

function readRssKb(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

function childPids(pid) {
	const out = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Field 4 (ppid) comes after the parenthesised command, which may contain spaces.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(Number(entry));
		} catch {}
	}
	return out;
}

function cmdline(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return '';
	}
}

class HttpError extends Error {
	constructor(method, url, status, body) {
		super(`${method} ${url} -> ${status}: ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`);
		this.status = status;
		this.body = body;
	}
}

/**
 * Starts n8n. Options:
 *   version            n8n version from the install cache (default 2.41.1; installed if missing)
 *   port, brokerPort   HTTP port and task-runner broker port (default: free ports)
 *   userFolder         N8N_USER_FOLDER (default: a new temp dir, removed by stop())
 *   communityPackage   tarball path(s) installed into <userFolder>/.n8n/nodes (types `<pkg>.<node>`)
 *   customExtensions   folder(s) for N8N_CUSTOM_EXTENSIONS (types `CUSTOM.<node>`)
 *   binaryDataMode     N8N_DEFAULT_BINARY_DATA_MODE (default 'filesystem'; 1.x defaults to memory)
 *   webhookUrl         WEBHOOK_URL (default http://127.0.0.1:<port>/)
 *   ownerMode          'rest' (POST /rest/owner/setup, default) or 'env' (env-managed owner, 2.x only)
 *   apiKey             create a public API key (default true)
 *   env                extra environment for n8n
 *   logLevel           N8N_LOG_LEVEL (default 'info')
 *   readinessTimeoutMs default 180000
 *   keepUserFolder     do not delete the temp user folder on stop()
 */
export async function startN8n(opts = {}) {
	const version = opts.version || DEFAULT_N8N_VERSION;
	const inst = await ensureN8n(version);
	const instance = new N8nInstance({ ...opts, version, install: inst });
	try {
		await instance._start();
	} catch (err) {
		// A half-started server would keep the caller's event loop (and the port) busy.
		const tail = instance.logTail(60);
		await instance.stop().catch(() => {});
		if (tail && !String(err.message).includes(tail)) err.message += `\n--- n8n log tail ---\n${tail}`;
		throw err;
	}
	return instance;
}

export class N8nInstance {
	constructor(opts) {
		this.opts = opts;
		this.version = opts.version;
		this.major = Number(opts.version.split('.')[0]);
		this.install = opts.install;
		this.cookie = null;
		this.apiKey = null;
		this.timings = {};
		this.child = null;
		this._exited = null;
	}

	async _start() {
		const o = this.opts;
		this.port = o.port || (await freePort());
		this.brokerPort = o.brokerPort || (await freePort());
		this.ownUserFolder = !o.userFolder;
		this.userFolder = o.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${this.version}-`));
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		this.logFile = path.join(this.userFolder, 'n8n.log');

		const t0 = Date.now();
		for (const tgz of [].concat(o.communityPackage || [])) installCommunityPackage(this.userFolder, tgz);
		if (o.communityPackage) this.timings.installPackageMs = Date.now() - t0;

		const ownerMode = o.ownerMode || 'rest';
		if (ownerMode === 'env' && this.major < 2) {
			throw new Error('ownerMode "env" needs n8n 2.x (N8N_INSTANCE_OWNER_* does not exist in 1.x)');
		}
		const env = {
			...process.env,
			...offlineEnv(this.major),
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			// 1.x runs Code nodes in-process unless told otherwise; use the runner as 2.x does so
			// memory measurements compare like with like.
			N8N_RUNNERS_ENABLED: 'true',
			N8N_DEFAULT_BINARY_DATA_MODE: o.binaryDataMode || 'filesystem',
			WEBHOOK_URL: o.webhookUrl || `${this.baseUrl}/`,
			N8N_LOG_LEVEL: o.logLevel || 'info',
			N8N_LOG_OUTPUT: 'console',
			// Otherwise n8n warns at every start that its config file is group/world-readable.
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			...o.env,
		};
		// The outer test may run under `npm test`; its npm_* settings must not leak into n8n's own npm use.
		for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
		const customExt = [].concat(o.customExtensions || []);
		if (customExt.length) env.N8N_CUSTOM_EXTENSIONS = customExt.map((p) => path.resolve(p)).join(';');
		if (ownerMode === 'env') {
			const bcrypt = createRequire(path.join(this.install.n8nModules, 'x.js'))('bcryptjs');
			Object.assign(env, {
				N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
				N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
				N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
				N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
				N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
			});
		}
		// node24 first on PATH: n8n spawns the task runner and community-package npm with `node`.
		env.PATH = `${path.dirname(this.install.node24)}:${env.PATH}`;
		this.env = env;

		const out = fs.openSync(this.logFile, 'a');
		// detached: true makes the child a session and process-group leader (setsid(2)), so stop()
		// can signal n8n together with its task runner and any grandchildren. The shell starts a
		// watchdog in that group and then execs n8n (same pid): if this process dies without
		// stop() (SIGKILL, a killed test runner), the watchdog takes the whole group down.
		const watchdog =
			`( trap '' TERM; while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
			// $$ is still the outer shell's pid, i.e. n8n's after the exec below.
			`kill -TERM 0; i=0; while kill -0 $$ 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done; ` +
			`kill -KILL 0 ) </dev/null >/dev/null 2>&1 & ` +
			`exec "$0" "$@"`;
		this.child = spawn('/bin/sh', ['-c', watchdog, this.install.node24, this.install.n8nBin, 'start'], {
			cwd: this.userFolder,
			env,
			detached: true,
			stdio: ['ignore', out, out],
		});
		fs.closeSync(out);
		this.pid = this.child.pid;
		this._exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
		this.child.on('exit', () => (this.child = null));
		// If the test process dies without calling stop(), do not leave n8n running.
		this._onExit = () => {
			try {
				process.kill(-this.pid, 'SIGKILL');
			} catch {}
		};
		process.on('exit', this._onExit);

		await this._waitReady(o.readinessTimeoutMs || 180000);

		const tAuth = Date.now();
		if (ownerMode === 'env') await this.login();
		else await this.setupOwner();
		if (o.apiKey !== false) await this.createApiKey();
		this.timings.authMs = Date.now() - tAuth;
		return this;
	}

	async _waitReady(timeoutMs) {
		const deadline = Date.now() + timeoutMs;
		let healthz = null;
		// Timings are measured from the spawn, which happened just before this call.
		const t0 = Date.now();
		while (Date.now() < deadline) {
			if (!this.child) {
				const ex = await this._exited;
				throw new Error(`n8n exited before ready (${JSON.stringify(ex)}):\n${this.logTail(60)}`);
			}
			try {
				if (healthz === null) {
					const h = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
					await h.arrayBuffer();
					if (h.ok) healthz = this.timings.healthzMs = Date.now() - t0;
				}
				// /healthz answers before migrations finish; readiness waits for the database.
				if (this.timings.readinessMs === undefined) {
					const r = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
					await r.arrayBuffer();
					if (r.ok) this.timings.readinessMs = Date.now() - t0;
				}
				// 1.x reports ready once migrations ran but mounts /rest a few seconds later
				// (404 "Cannot POST /rest/owner/setup" in between); 2.x has both at once.
				if (this.timings.readinessMs !== undefined) {
					const r = await fetch(`${this.baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) });
					await r.arrayBuffer();
					if (r.ok) {
						this.timings.restReadyMs = Date.now() - t0;
						return;
					}
				}
			} catch {}
			await sleep(250);
		}
		throw new Error(`n8n not ready after ${timeoutMs} ms:\n${this.logTail(60)}`);
	}

	logTail(lines = 40) {
		try {
			return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
		} catch {
			return '';
		}
	}

	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	// ---- HTTP -------------------------------------------------------------------------------

	async _request(method, url, { body, headers = {}, raw = false } = {}) {
		const init = { method, headers: { ...headers } };
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		const res = await fetch(url, init);
		if (raw) return res;
		const text = await res.text();
		let parsed = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {}
		if (!res.ok) throw new HttpError(method, url, res.status, parsed);
		return { res, body: parsed };
	}

	_takeCookie(res) {
		const setCookies = res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')].filter(Boolean);
		for (const c of setCookies) {
			const m = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
	}

	/** Editor REST call with the login cookie; returns the unwrapped `data` (or the whole body). */
	async rest(method, p, body, { raw = false } = {}) {
		const r = await this._request(method, `${this.baseUrl}/rest${p}`, {
			body,
			raw,
			headers: this.cookie ? { cookie: this.cookie } : {},
		});
		if (raw) return r;
		return r.body && typeof r.body === 'object' && 'data' in r.body ? r.body.data : r.body;
	}

	/** Public API call (/api/v1) with the API key; returns the parsed body. */
	async api(method, p, body) {
		if (!this.apiKey) throw new Error('no API key; start with apiKey: true');
		const r = await this._request(method, `${this.baseUrl}/api/v1${p}`, {
			body,
			headers: { 'X-N8N-API-KEY': this.apiKey },
		});
		return r.body;
	}

	// ---- Auth -------------------------------------------------------------------------------

	async setupOwner() {
		const r = await this._request('POST', `${this.baseUrl}/rest/owner/setup`, { body: OWNER });
		// The setup response already carries the auth cookie.
		this._takeCookie(r.res);
		if (!this.cookie) await this.login();
	}

	async login() {
		const r = await this._request('POST', `${this.baseUrl}/rest/login`, {
			body: { emailOrLdapLoginId: OWNER.email, password: OWNER.password },
		});
		this._takeCookie(r.res);
		if (!this.cookie) throw new Error('login returned no n8n-auth cookie');
	}

	async createApiKey(label = 'e2e') {
		const scopes = await this.rest('GET', '/api-keys/scopes').catch((err) => {
			if (err.status === 404) return null;
			throw err;
		});
		const body = { label, expiresAt: null };
		if (Array.isArray(scopes)) body.scopes = scopes;
		const data = await this.rest('POST', '/api-keys', body);
		this.apiKey = data.rawApiKey ?? data.apiKey;
		if (!this.apiKey) throw new Error(`no key in /rest/api-keys answer: ${JSON.stringify(data)}`);
		return this.apiKey;
	}

	// ---- Types ------------------------------------------------------------------------------

	async nodeTypes() {
		const r = await this._request('GET', `${this.baseUrl}/types/nodes.json`, { headers: { cookie: this.cookie } });
		return r.body;
	}

	async credentialTypes() {
		const r = await this._request('GET', `${this.baseUrl}/types/credentials.json`, {
			headers: { cookie: this.cookie },
		});
		return r.body;
	}

	// ---- Credentials ------------------------------------------------------------------------

	async createCredential(type, name, data) {
		return this.rest('POST', '/credentials', { name, type, data });
	}

	/**
	 * Runs the credential type's `test` request. Uses the public API endpoint where it exists
	 * (2.x) and otherwise the editor's flow: fetch the credential (secrets come back as
	 * placeholders, which n8n swaps back for the stored values) and post it to /credentials/test.
	 * Returns { status: 'OK' | 'Error', message }.
	 */
	async testCredential(id) {
		if (this.major >= 2 && this.apiKey) {
			try {
				return await this.api('POST', `/credentials/${id}/test`, {});
			} catch (err) {
				if (err.status !== 404 && err.status !== 405) throw err;
			}
		}
		const cred = await this.rest('GET', `/credentials/${id}?includeData=true`);
		return this.rest('POST', '/credentials/test', {
			credentials: { id: cred.id, name: cred.name, type: cred.type, data: cred.data },
		});
	}

	// ---- Workflows --------------------------------------------------------------------------

	/** Creates a workflow through REST; returns { id, versionId, ... }. */
	async importWorkflow(json) {
		const { id: _ignored, active: _a, ...rest } = json;
		return this.rest('POST', '/workflows', { settings: {}, ...rest, active: false });
	}

	/** Creates a workflow through the public API (only name, nodes, connections, settings allowed). */
	async createWorkflowViaApi(json) {
		const { name, nodes, connections, settings = {} } = json;
		return this.api('POST', '/workflows', { name, nodes, connections, settings });
	}

	async getWorkflow(id) {
		return this.rest('GET', `/workflows/${id}`);
	}

	/**
	 * Makes the workflow's triggers live and waits until they are. Both 2.41 and 1.123 have
	 * POST /rest/workflows/:id/activate {versionId}; in 1.x it answers after the webhooks are
	 * registered, in 2.x publishing goes through an outbox and the answer comes first, so poll
	 * publication-status. With `webhookPath`, also poll the webhook itself (OPTIONS with an
	 * Origin header is answered 404 until it is registered, and starts no execution).
	 */
	async activate(id, { webhookPath, method = 'POST', timeoutMs = 30000 } = {}) {
		const wf = await this.getWorkflow(id);
		const t0 = Date.now();
		try {
			await this.rest('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
		} catch (err) {
			// Older 1.x releases only know the editor's PATCH with active=true.
			if (err.status !== 404 || this.major >= 2) throw err;
			await this.rest('PATCH', `/workflows/${id}`, { ...wf, active: true });
		}
		if (this.major >= 2) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const st = await this.rest('GET', `/workflows/${id}/publication-status`);
				const triggers = st?.triggers ?? [];
				if (st?.status === 'published' && triggers.every((t) => t.status === 'activated')) break;
				if (triggers.some((t) => t.status === 'error' || t.status === 'failed')) {
					throw new Error(`publishing workflow ${id} failed: ${JSON.stringify(st)}`);
				}
				if (Date.now() > deadline) throw new Error(`workflow ${id} not published: ${JSON.stringify(st)}`);
				await sleep(100);
			}
		}
		if (webhookPath) await this.waitForWebhook(webhookPath, { method, timeoutMs });
		this.timings.lastActivateMs = Date.now() - t0;
		return this.getWorkflow(id);
	}

	async deactivate(id) {
		try {
			return await this.rest('POST', `/workflows/${id}/deactivate`, {});
		} catch (err) {
			if (err.status !== 404 || this.major >= 2) throw err;
			const wf = await this.getWorkflow(id);
			return this.rest('PATCH', `/workflows/${id}`, { ...wf, active: false });
		}
	}

	webhookUrl(webhookPath) {
		return `${this.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
	}

	async waitForWebhook(webhookPath, { method = 'POST', timeoutMs = 30000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await fetch(this.webhookUrl(webhookPath), {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
			});
			await res.arrayBuffer();
			const allowed = (res.headers.get('access-control-allow-methods') || '').split(/,\s*/);
			if (res.status < 400 && allowed.includes(method)) return;
			if (Date.now() > deadline) throw new Error(`webhook ${method} ${webhookPath} not live (last ${res.status})`);
			await sleep(100);
		}
	}

	/**
	 * Starts a manual run (as the editor's "Execute workflow" button does); returns the execution id.
	 * `triggerName` picks the trigger node to start from (default: the first Manual Trigger).
	 */
	async runWorkflow(id, { triggerName } = {}) {
		const wf = await this.getWorkflow(id);
		const trigger =
			triggerName ?? wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name ?? wf.nodes[0]?.name;
		let body;
		if (this.major >= 2) {
			body = { triggerToStartFrom: { name: trigger } };
		} else {
			// 1.x wants the full workflow in the body (it runs what the editor shows, saved or not).
			body = {
				workflowData: {
					id: wf.id,
					name: wf.name,
					nodes: wf.nodes,
					connections: wf.connections,
					settings: wf.settings,
					pinData: wf.pinData ?? {},
					active: wf.active,
					versionId: wf.versionId,
				},
				triggerToStartFrom: { name: trigger },
			};
		}
		const data = await this.rest('POST', `/workflows/${id}/run`, body);
		if (!data?.executionId) throw new Error(`run did not start: ${JSON.stringify(data)}`);
		return String(data.executionId);
	}

	/**
	 * Polls the public API until the execution has finished; returns it with its data decoded.
	 * With `acceptWaiting`, an execution parked by a Wait node (status 'waiting') also counts.
	 */
	async waitForExecution(executionId, { timeoutMs = 60000, acceptWaiting = false } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let ex = null;
			try {
				ex = await this.api('GET', `/executions/${executionId}?includeData=true`);
			} catch (err) {
				// The row may not be visible for a moment after the run starts.
				if (err.status !== 404) throw err;
			}
			if (ex?.status === 'waiting' && acceptWaiting) return ex;
			if (ex && ex.status && !['new', 'running', 'waiting'].includes(ex.status) && (ex.finished || ex.stoppedAt)) {
				return ex;
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${ex?.status} after ${timeoutMs} ms`);
			await sleep(150);
		}
	}

	/** Executions of a workflow, newest first (public API; no data). */
	async listExecutions(workflowId, { limit = 100, status } = {}) {
		const q = new URLSearchParams({ workflowId: String(workflowId), limit: String(limit) });
		if (status) q.set('status', status);
		const r = await this.api('GET', `/executions?${q}`);
		return r.data;
	}

	/** Raw execution through REST, with n8n's flatted `data` decoded with n8n's own copy of flatted. */
	async getExecutionRest(executionId) {
		const ex = await this.rest('GET', `/executions/${executionId}`);
		if (typeof ex?.data === 'string') {
			const flatted = createRequire(path.join(this.install.n8nModules, 'x.js'))('flatted');
			ex.data = flatted.parse(ex.data);
		}
		return ex;
	}

	/** Bytes of a binary item (the `{ id: 'filesystem-v2:...' }` reference from an execution). */
	async downloadBinary(binaryRef) {
		const id = typeof binaryRef === 'string' ? binaryRef : binaryRef.id;
		if (!id) throw new Error(`binary reference has no id (memory mode?): ${JSON.stringify(binaryRef).slice(0, 200)}`);
		const q = new URLSearchParams({ id, action: 'download' });
		const res = await this.rest('GET', `/binary-data?${q}`, undefined, { raw: true });
		if (!res.ok) throw new HttpError('GET', `/rest/binary-data?${q}`, res.status, await res.text());
		return Buffer.from(await res.arrayBuffer());
	}

	// ---- CLI --------------------------------------------------------------------------------

	/** Runs an n8n CLI command against this user folder (its own broker port, so it can run beside the server). */
	async cli(args, { timeoutMs = 120000 } = {}) {
		const brokerPort = await freePort();
		return new Promise((resolve, reject) => {
			const child = spawn(this.install.node24, [this.install.n8nBin, ...args], {
				cwd: this.userFolder,
				env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('exit', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	// ---- Processes --------------------------------------------------------------------------

	/** PID of the main n8n process (also its process-group id). */
	pidOfServer() {
		return this.pid;
	}

	/**
	 * Resident memory in kB of the main process and of its children; the task runner (a child
	 * `node .../task-runner/...` process) is reported separately since it holds node code too.
	 */
	memory() {
		const mainRssKb = readRssKb(this.pid);
		const children = childPids(this.pid)
			.map((pid) => ({ pid, rssKb: readRssKb(pid), cmd: cmdline(pid) }))
			// The watchdog shell from _start() is not part of n8n.
			.filter((c) => !c.cmd.startsWith('/bin/sh '));
		const runner = children.find((c) => /task-runner|runners/.test(c.cmd)) ?? null;
		return {
			pid: this.pid,
			mainRssKb,
			runner,
			children,
			totalRssKb: mainRssKb + children.reduce((s, c) => s + (c.rssKb || 0), 0),
		};
	}

	/** Stops n8n and its process group (SIGTERM, then SIGKILL after graceMs); removes the temp folder. */
	async stop({ graceMs = 15000 } = {}) {
		if (this._onExit) process.off('exit', this._onExit);
		if (this.child) {
			try {
				process.kill(-this.pid, 'SIGTERM');
			} catch {}
			// A pending grace timer would keep the caller's process alive for graceMs after n8n exits.
			let graceTimer;
			const grace = new Promise((resolve) => (graceTimer = setTimeout(() => resolve(null), graceMs)));
			const done = await Promise.race([this._exited, grace]);
			clearTimeout(graceTimer);
			if (!done) {
				try {
					process.kill(-this.pid, 'SIGKILL');
				} catch {}
				await this._exited;
			}
		}
		// The runner may outlive the main process briefly; make sure the group is gone.
		try {
			process.kill(-this.pid, 'SIGKILL');
		} catch {}
		if (this.ownUserFolder && !this.opts.keepUserFolder) {
			fs.rmSync(this.userFolder, { recursive: true, force: true });
		}
	}
}
