// @ts-check
// n8n 2.x in queue mode on one machine: Postgres and Redis (services.mjs), a main process that
// serves the editor and REST API and enqueues every execution (manual runs too), workers that
// run them, and webhook processors that take production webhooks and Apiframe's callbacks.
// Binary data lives in the database, as queue mode requires. Each n8n process has its own user
// folder (own log, own crash journal) sharing one installed copy of the community package.
//
//   const cluster = await startQueueCluster({ communityPackage: tgz, workers: 2, webhooks: 2, dir });
//   cluster.main          the driver's N8nInstance (REST, public API, binary data) for the main process
//   cluster.workers[i]    { role, pid, logFile, ... } with kill()/log()
//   cluster.webhooks[i]   same, plus baseUrl
//   await cluster.stop();

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureN8n } from '../../../scripts/n8n/install.mjs';
import { freePort, installCommunityPackage, offlineEnv, startN8n } from '../../../scripts/n8n/n8n-instance.mjs';
import { spawnGroup } from './process-group.mjs';
import { ensureServerPackages, startPostgres, startRedis } from './services.mjs';

export const QUEUE_N8N_VERSION = '2.41.1';

/** @typedef {'worker' | 'webhook'} Role */

/**
 * A worker or webhook processor: `n8n worker` / `n8n webhook` in its own process group.
 */
export class N8nRoleProcess {
	/**
	 * @param {object} opts
	 * @param {Role} opts.role
	 * @param {string} opts.name             e.g. worker-1
	 * @param {{ node24: string, n8nBin: string }} opts.install
	 * @param {string} opts.userFolder
	 * @param {number} opts.httpPort         the webhook server's port, or the worker's health port
	 * @param {Record<string, string>} opts.env
	 */
	constructor({ role, name, install, userFolder, httpPort, env }) {
		this.spawnOptions = { role, name, install, userFolder, httpPort, env };
		this.role = role;
		this.name = name;
		this.userFolder = userFolder;
		this.httpPort = httpPort;
		this.baseUrl = `http://127.0.0.1:${httpPort}`;
		this.logFile = path.join(userFolder, 'n8n.log');
		this.spawnedAt = Date.now();
		this.group = spawnGroup({
			command: install.node24,
			args: [install.n8nBin, role],
			cwd: userFolder,
			env: { ...env, N8N_USER_FOLDER: userFolder },
			logFile: this.logFile,
		});
		this.pid = this.group.pid;
		/** @type {number | undefined} */
		this.readyMs = undefined;
	}

	get running() {
		return this.group.running;
	}

	/** Both kinds answer /healthz/readiness once their database and Redis connections are up. */
	async waitReady(timeoutMs = 180000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.group.running) throw new Error(`${this.name} exited before ready:\n${this.logTail(60)}`);
			try {
				const res = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				await res.arrayBuffer();
				if (res.ok) {
					this.readyMs = Date.now() - this.spawnedAt;
					return;
				}
			} catch {
				// Not listening yet.
			}
			await sleep(250);
		}
		throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.logTail(60)}`);
	}

	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** @param {number} [lines] */
	logTail(lines = 40) {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	/** SIGKILL to the process and everything it started (its task runner), as a crash would. */
	kill() {
		this.group.kill();
		return this.group.exited;
	}

	/** @param {{ graceMs?: number }} [options] */
	stop(options) {
		return this.group.stop(options);
	}

	/** The same process started again (same folder, ports and environment), not yet ready. */
	respawn() {
		return new N8nRoleProcess(this.spawnOptions);
	}
}

/**
 * @typedef {object} ClusterOptions
 * @property {string} dir                    folder for every process's files (the caller removes it)
 * @property {string} communityPackage       tarball installed once and shared by every n8n process
 * @property {number} [workers]              default 2
 * @property {number} [webhooks]             webhook processors, default 1
 * @property {number} [workerConcurrency]    executions per worker (n8n's default is 10)
 * @property {Record<string, string>} [env]  extra environment for every n8n process
 */

/** @param {ClusterOptions} opts */
export async function startQueueCluster(opts) {
	const cluster = new QueueCluster(opts);
	try {
		await cluster.start();
	} catch (err) {
		await cluster.stop().catch(() => {});
		throw err;
	}
	return cluster;
}

export class QueueCluster {
	/** @param {ClusterOptions} opts */
	constructor(opts) {
		this.opts = opts;
		this.dir = opts.dir;
		/** Milliseconds per start-up stage. @type {Record<string, number>} */
		this.timings = {};
		/** @type {import('../../../scripts/n8n/n8n-instance.mjs').N8nInstance | undefined} */
		this.main = undefined;
		/** @type {N8nRoleProcess[]} */
		this.workers = [];
		/** @type {N8nRoleProcess[]} */
		this.webhooks = [];
		/** @type {Awaited<ReturnType<typeof startPostgres>> | undefined} */
		this.postgres = undefined;
		/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
		this.redis = undefined;
	}

	/**
	 * @template T
	 * @param {string} label
	 * @param {() => Promise<T> | T} fn
	 * @returns {Promise<T>}
	 */
	async time(label, fn) {
		const t0 = Date.now();
		try {
			return await fn();
		} finally {
			this.timings[label] = Date.now() - t0;
		}
	}

	async start() {
		const o = this.opts;
		const tools = await this.time('server packages', () => ensureServerPackages());
		this.tools = tools;
		const install = await this.time('n8n install', () => ensureN8n(QUEUE_N8N_VERSION));
		[this.postgres, this.redis] = await Promise.all([
			this.time('postgres start', () => startPostgres({ tools })),
			this.time('redis start', () => startRedis({ tools })),
		]);

		// The package is installed once; every user folder links to that nodes folder.
		const packageFolder = path.join(this.dir, 'package');
		await this.time('package install', () => installCommunityPackage(packageFolder, o.communityPackage));
		/** @param {string} name */
		const userFolder = (name) => {
			const folder = path.join(this.dir, name);
			fs.mkdirSync(path.join(folder, '.n8n'), { recursive: true });
			fs.symlinkSync(path.join(packageFolder, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'));
			return folder;
		};

		const webhookPorts = await Promise.all(Array.from({ length: o.webhooks ?? 1 }, () => freePort()));
		/** @type {Record<string, string>} */
		const common = {
			...offlineEnv(2),
			...this.postgres.env,
			...this.redis.env,
			EXECUTIONS_MODE: 'queue',
			// Every process decrypts the same credentials and signs the same binary-data URLs.
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			// The address Apiframe is given (trigger URLs, resume URLs made on a worker): a webhook
			// processor, as a load balancer would route /webhook and /webhook-waiting.
			WEBHOOK_URL: `http://127.0.0.1:${webhookPorts[0]}/`,
			N8N_RUNNERS_ENABLED: 'true',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// Manual runs ("Execute workflow") go to the workers too, as n8n 3 will always do. Every
			// process needs it: a webhook processor resuming a waiting manual run otherwise runs the
			// rest of it itself.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...o.env,
		};
		this.env = common;

		// Main first: it runs the migrations the others would otherwise race over.
		this.main = await this.time('main start', () =>
			startN8n({
				version: QUEUE_N8N_VERSION,
				userFolder: userFolder('main'),
				binaryDataMode: 'database',
				webhookUrl: common.WEBHOOK_URL,
				env: {
					...common,
					// Production webhooks are the webhook processors' job.
					N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				},
			}),
		);

		const processEnv = childEnv(install.node24);
		const starting = [];
		for (let i = 0; i < (o.workers ?? 2); i++) {
			const healthPort = await freePort();
			const worker = new N8nRoleProcess({
				role: 'worker',
				name: `worker-${i + 1}`,
				install,
				userFolder: userFolder(`worker-${i + 1}`),
				httpPort: healthPort,
				env: {
					...processEnv,
					...common,
					// Each worker runs its own task runner, so each needs its own broker port.
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...(o.workerConcurrency ? { N8N_CONCURRENCY_PRODUCTION_LIMIT: String(o.workerConcurrency) } : {}),
				},
			});
			this.workers.push(worker);
			starting.push(worker);
		}
		for (const [i, port] of webhookPorts.entries()) {
			const webhook = new N8nRoleProcess({
				role: 'webhook',
				name: `webhook-${i + 1}`,
				install,
				userFolder: userFolder(`webhook-${i + 1}`),
				httpPort: port,
				env: { ...processEnv, ...common, N8N_PORT: String(port) },
			});
			this.webhooks.push(webhook);
			starting.push(webhook);
		}
		await this.time('workers and webhook processors start', () => Promise.all(starting.map((p) => p.waitReady())));
	}

	/** Every n8n process's log, for failure messages. @param {number} [lines] */
	logTails(lines = 30) {
		const parts = [];
		if (this.main) parts.push(`--- main ---\n${this.main.logTail(lines)}`);
		for (const p of [...this.workers, ...this.webhooks]) parts.push(`--- ${p.name} ---\n${p.logTail(lines)}`);
		return parts.join('\n');
	}

	/**
	 * The worker whose log says it started the execution, or undefined.
	 * @param {string} executionId
	 */
	workerOf(executionId) {
		const line = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.workers.find((w) => line.test(w.log()));
	}

	/**
	 * Replaces a worker that has exited (killed by a test) with a new one, and waits until it is ready.
	 * @param {N8nRoleProcess} worker
	 */
	async restartWorker(worker) {
		if (worker.running) throw new Error(`${worker.name} is still running`);
		const fresh = worker.respawn();
		this.workers[this.workers.indexOf(worker)] = fresh;
		await fresh.waitReady();
		return fresh;
	}

	/** Stops n8n first (so nothing writes to a vanishing database), then Redis and Postgres. */
	async stop() {
		await Promise.allSettled([...this.workers, ...this.webhooks].map((p) => p.stop()));
		await this.main?.stop().catch(() => {});
		await Promise.allSettled([this.redis?.stop(), this.postgres?.stop()]);
	}
}

/**
 * This process's environment for a child n8n: Node 24 first on PATH (n8n starts its task runner
 * with `node`), and no npm_* settings from an outer `npm run`.
 * @param {string} node24
 * @returns {Record<string, string>}
 */
function childEnv(node24) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('npm_')) env[k] = v;
	env.PATH = `${path.dirname(node24)}:${env.PATH}`;
	return env;
}
