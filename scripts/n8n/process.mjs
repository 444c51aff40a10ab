// @ts-check
// One n8n server process on the cached Node 24 (the main process, or queue mode's worker or webhook
// processor): spawned in its own process group with a watchdog (process-group.mjs), waited for
// until it is ready, measured, and stopped together with everything it started. It knows nothing
// of accounts or workflows; client.mjs talks to it over HTTP.
//
//   const server = await spawnN8n({ install: await ensureN8n('2.41.1'), userFolder });
//   await server.waitReady();
//   ...
//   await server.stop();

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { npmEnv, requireFromN8n } from './install.mjs';
import { spawnGroup } from './process-group.mjs';

/** @typedef {import('./install.mjs').N8nPaths} N8nPaths */
/** @typedef {import('./client.mjs').Owner} Owner */

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

/**
 * OFFLINE_ENV plus what only the given major knows; 1.x aborts at startup on an unknown module name.
 * @param {number} major
 * @returns {Record<string, string>}
 */
export function offlineEnv(major) {
	// 2.x: a system task fetches api.n8n.io/api/mcp-servers unless the module is off.
	return major >= 2 ? { ...OFFLINE_ENV, N8N_DISABLED_MODULES: 'mcp-registry' } : { ...OFFLINE_ENV };
}

/**
 * Environment that has n8n 2.x create the owner, or reset it, at every start (1.x has no such
 * variables), so a known login works on a fresh user folder and on a reused one alike.
 * @param {N8nPaths} install
 * @param {Owner} owner
 * @returns {Record<string, string>}
 */
export function ownerEnv(install, owner) {
	// n8n's own bcryptjs, so the hash is one that n8n accepts.
	const bcrypt = requireFromN8n(install, 'bcryptjs');
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
	};
}

/** Ports freePort() has handed out in this process: one picked but not yet bound is still free to the kernel. */
const portsHandedOut = new Set();

/**
 * A TCP port on 127.0.0.1 that was free a moment ago and that this process has not handed out
 * before: the ports of a cluster are picked before its processes bind them, and the kernel may
 * offer one of them again in between (a webhook processor once got the main process's port).
 * @returns {Promise<number>}
 */
export async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.unref();
			srv.on('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port } = /** @type {net.AddressInfo} */ (srv.address());
				srv.close(() => resolve(port));
			});
		});
		if (!portsHandedOut.has(port)) {
			portsHandedOut.add(port);
			return /** @type {number} */ (port);
		}
	}
}

/** @param {number} pid @returns {number | null} */
function readRssKb(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
		return m ? Number(m[1]) : null;
	} catch {
		return null; // the process has just exited
	}
}

/** @param {number} pid @returns {number[]} */
function childPids(pid) {
	/** @type {number[]} */
	const out = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// Field 4 (ppid) comes after the parenthesised command, which may contain spaces.
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) out.push(Number(entry));
		} catch {
			// Gone between readdir and read.
		}
	}
	return out;
}

/** @param {number} pid */
function cmdline(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return '';
	}
}

/**
 * @typedef {object} SpawnOptions
 * @property {N8nPaths} install            the cached Node 24 and n8n (ensureN8n's answer)
 * @property {string} userFolder           N8N_USER_FOLDER; the log goes to <userFolder>/n8n.log
 * @property {N8nCommand} [command]        which n8n process (default 'start', the main process)
 * @property {number} [port]               HTTP port (default: a free one); a worker's is its health server's
 * @property {number} [brokerPort]         task-runner broker port (default: a free one)
 * @property {string} [webhookUrl]         WEBHOOK_URL (default http://127.0.0.1:<port>/)
 * @property {string} [binaryDataMode]     N8N_DEFAULT_BINARY_DATA_MODE (default 'filesystem'; 1.x defaults to memory)
 * @property {string} [logLevel]           N8N_LOG_LEVEL (default 'info')
 * @property {string[]} [customExtensions] folders for N8N_CUSTOM_EXTENSIONS (types `CUSTOM.<node>`)
 * @property {Record<string, string>} [env] extra environment for n8n
 */

/** @typedef {{ pid: number, rssKb: number, cmd: string }} ChildMemory */

/**
 * @typedef {object} Memory
 * @property {number} pid
 * @property {number} mainRssKb
 * @property {ChildMemory | null} runner
 * @property {ChildMemory[]} children
 * @property {number} totalRssKb
 */

/**
 * The n8n commands that run a server: the main process, and queue mode's worker and webhook
 * processor.
 * @typedef {'start' | 'worker' | 'webhook'} N8nCommand
 */

/**
 * Spawns `n8n start`, `n8n worker` or `n8n webhook` (not yet ready: call waitReady()).
 * @param {SpawnOptions} opts
 */
export async function spawnN8n(opts) {
	const port = opts.port ?? (await freePort());
	const brokerPort = opts.brokerPort ?? (await freePort());
	return new N8nProcess({ ...opts, port, brokerPort });
}

export class N8nProcess {
	/** Milliseconds from the spawn until each readiness stage answered. */
	timings = /** @type {{ healthzMs?: number, readinessMs?: number, restReadyMs?: number }} */ ({});

	/** @param {SpawnOptions & { port: number, brokerPort: number }} opts (use spawnN8n) */
	constructor(opts) {
		this.install = opts.install;
		this.version = opts.install.n8nVersion;
		this.major = Number(this.version.split('.')[0]);
		this.port = opts.port;
		this.brokerPort = opts.brokerPort;
		this.userFolder = opts.userFolder;
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		this.logFile = path.join(this.userFolder, 'n8n.log');

		/** @type {Record<string, string>} */
		const env = {
			// No npm_* from an outer `npm run` (n8n runs npm itself for community packages), and
			// Node 24 first on PATH: n8n spawns its task runner and that npm with `node`.
			...npmEnv({ nodeBin: this.install.node24 }),
			...offlineEnv(this.major),
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			// 1.x runs Code nodes in-process unless told otherwise; use the runner as 2.x does so
			// memory measurements compare like with like.
			N8N_RUNNERS_ENABLED: 'true',
			N8N_DEFAULT_BINARY_DATA_MODE: opts.binaryDataMode || 'filesystem',
			WEBHOOK_URL: opts.webhookUrl || `${this.baseUrl}/`,
			N8N_LOG_LEVEL: opts.logLevel || 'info',
			N8N_LOG_OUTPUT: 'console',
			// Otherwise n8n warns at every start that its config file is group/world-readable.
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			...opts.env,
		};
		const customExt = opts.customExtensions ?? [];
		if (customExt.length) env.N8N_CUSTOM_EXTENSIONS = customExt.map((p) => path.resolve(p)).join(';');
		this.env = env;

		this.command = opts.command ?? 'start';
		if (this.command === 'worker') {
			// A worker's only HTTP server: /healthz and /healthz/readiness.
			Object.assign(env, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(this.port),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
		}
		this.spawnedAt = Date.now();
		// In a process group with a watchdog: stop() reaches n8n's task runner too, and a test
		// runner killed without calling stop() leaves nothing running.
		this.group = spawnGroup({
			command: this.install.node24,
			args: [this.install.n8nBin, this.command],
			cwd: this.userFolder,
			env,
			logFile: this.logFile,
		});
		/** PID of the n8n process, also its process-group id. */
		this.pid = this.group.pid;
		/** Settles when the n8n process has exited. */
		this.exited = this.group.exited;
	}

	get running() {
		return this.group.running;
	}

	/**
	 * Resolves once n8n serves its REST API (a worker or webhook processor: once it reports ready);
	 * rejects with the log's tail if it exits or times out.
	 * @param {number} [timeoutMs]
	 */
	async waitReady(timeoutMs = 180000) {
		const deadline = Date.now() + timeoutMs;
		const since = () => Date.now() - this.spawnedAt;
		/** @param {string} route */
		const answers = async (route) => {
			const res = await fetch(`${this.baseUrl}${route}`, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			return res.ok;
		};
		while (Date.now() < deadline) {
			if (!this.running) {
				const ex = await this.exited;
				throw new Error(`n8n exited before ready (${JSON.stringify(ex)}):\n${this.logTail(60)}`);
			}
			try {
				if (this.timings.healthzMs === undefined && (await answers('/healthz'))) this.timings.healthzMs = since();
				// /healthz answers before migrations finish; readiness waits for the database.
				if (this.timings.readinessMs === undefined && (await answers('/healthz/readiness'))) {
					this.timings.readinessMs = since();
					// Workers and webhook processors have no REST API.
					if (this.command !== 'start') return;
				}
				// 1.x reports ready once migrations ran but mounts /rest a few seconds later
				// (404 "Cannot POST /rest/owner/setup" in between); 2.x has both at once.
				if (this.timings.readinessMs !== undefined && (await answers('/rest/settings'))) {
					this.timings.restReadyMs = since();
					return;
				}
			} catch {
				// Not listening yet.
			}
			await sleep(250);
		}
		throw new Error(`n8n not ready after ${timeoutMs} ms:\n${this.logTail(60)}`);
	}

	/** The whole log so far ('' if there is none). */
	log() {
		return this.group.log();
	}

	/** @param {number} [lines] */
	logTail(lines = 40) {
		return this.group.logTail(lines);
	}

	/**
	 * Resident memory in kB of the main process and of its children; the task runner (a child
	 * `node .../task-runner/...` process) is reported separately since it holds node code too.
	 * @returns {Memory}
	 */
	memory() {
		const mainRssKb = readRssKb(this.pid);
		if (mainRssKb === null) throw new Error(`n8n (pid ${this.pid}) is not running: no memory to report`);
		/** @type {ChildMemory[]} */
		const children = [];
		for (const pid of childPids(this.pid)) {
			const rssKb = readRssKb(pid);
			const cmd = cmdline(pid);
			// A child that has just exited holds nothing; the watchdog shell from the spawn is not part of n8n.
			if (rssKb !== null && !cmd.startsWith('/bin/sh ')) children.push({ pid, rssKb, cmd });
		}
		const runner = children.find((c) => /task-runner|runners/.test(c.cmd)) ?? null;
		return {
			pid: this.pid,
			mainRssKb,
			runner,
			children,
			totalRssKb: mainRssKb + children.reduce((s, c) => s + c.rssKb, 0),
		};
	}

	/**
	 * Runs an n8n CLI command against this user folder (its own broker port, so it can run beside the server).
	 * @param {string[]} args
	 * @param {{ timeoutMs?: number }} [options]
	 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
	 */
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

	/** SIGKILL to the whole process group, at once (as a crash would end it). */
	kill() {
		this.group.kill();
	}

	/**
	 * Stops n8n and its process group: SIGTERM, then SIGKILL after graceMs.
	 * @param {{ graceMs?: number }} [options]
	 */
	async stop({ graceMs = 15000 } = {}) {
		await this.group.stop({ graceMs });
	}
}
