// @ts-check
// n8n 2.x in queue mode on one machine: Postgres and Redis (services.mjs), a main process that
// serves the editor and REST API and enqueues every execution (manual ones too), workers that run
// them, and webhook processors that take production webhooks and Apiframe's callbacks. Binary
// data lives in the database, as queue mode requires. Each n8n process has its own user folder
// (own log, own crash journal) sharing one installed copy of the community package.
//
//   const cluster = await startQueueCluster({ communityPackage: tgz, workers: 2, webhooks: 2, dir });
//   cluster.main            the main process: N8nInstance (`client` for REST, public API, binary data)
//   cluster.workers[i]      { name, server }: server is the worker's N8nProcess (log, pid, kill)
//   cluster.webhooks[i]     { name, server, baseUrl }
//   await cluster.stop();

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureN8n } from '../../../scripts/n8n/install.mjs';
import { startN8n } from '../../../scripts/n8n/instance.mjs';
import { installCommunityPackage } from '../../../scripts/n8n/package.mjs';
import { freePort, offlineEnv, spawnN8n } from '../../../scripts/n8n/process.mjs';
import { ensureServerPackages, startPostgres, startRedis } from './services.mjs';

/** @typedef {import('../../../scripts/n8n/process.mjs').N8nProcess} N8nProcess */
/** @typedef {import('../../../scripts/n8n/process.mjs').SpawnOptions} SpawnOptions */

export const QUEUE_N8N_VERSION = '2.41.1';

/**
 * A worker or webhook processor of the cluster. `server` is replaced when the process is
 * restarted, so a test may keep hold of this object across a restart.
 */
export class ClusterProcess {
	/**
	 * @param {string} name            e.g. worker-1
	 * @param {SpawnOptions} options   what it was spawned with, to spawn it again
	 * @param {N8nProcess} server
	 */
	constructor(name, options, server) {
		this.name = name;
		this.options = options;
		this.server = server;
		this.baseUrl = server.baseUrl;
	}

	/** SIGKILL to the process and its task runner, as a crash would end them; resolves once gone. */
	async kill() {
		this.server.kill();
		await this.server.exited;
	}

	/** Starts it again (same folder, ports and environment) and waits until it is ready. */
	async restart() {
		if (this.server.running) throw new Error(`${this.name} is still running`);
		this.server = await spawnN8n(this.options);
		await this.server.waitReady();
	}
}

/**
 * @typedef {object} ClusterOptions
 * @property {string} dir                    folder for the n8n processes' files (the caller removes it)
 * @property {string} communityPackage       tarball installed once and shared by every n8n process
 * @property {number} [workers]              default 2
 * @property {number} [webhooks]             webhook processors, default 1
 * @property {Record<string, string>} [env]  extra environment for every n8n process
 */

/** @param {ClusterOptions} opts */
export async function startQueueCluster(opts) {
	const cluster = new QueueCluster(opts);
	try {
		await cluster.start();
	} catch (err) {
		err.message += `\n${cluster.logTails(60)}`;
		await cluster.stop().catch(() => {});
		throw err;
	}
	return cluster;
}

export class QueueCluster {
	/** @param {ClusterOptions} opts */
	constructor(opts) {
		this.opts = opts;
		/** Milliseconds per start-up stage. @type {Record<string, number>} */
		this.timings = {};
		/** @type {import('./services.mjs').ServerTools | undefined} */
		this.tools = undefined;
		/** @type {Awaited<ReturnType<typeof startPostgres>> | undefined} */
		this.postgres = undefined;
		/** @type {Awaited<ReturnType<typeof startRedis>> | undefined} */
		this.redis = undefined;
		/** @type {import('../../../scripts/n8n/instance.mjs').N8nInstance | undefined} */
		this.main = undefined;
		/** @type {ClusterProcess[]} */
		this.workers = [];
		/** @type {ClusterProcess[]} */
		this.webhooks = [];
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
		const packageFolder = path.join(o.dir, 'package');
		await this.time('package install', () => installCommunityPackage(packageFolder, o.communityPackage));
		/** @param {string} name */
		const userFolder = (name) => {
			const folder = path.join(o.dir, name);
			fs.mkdirSync(path.join(folder, '.n8n'), { recursive: true });
			fs.symlinkSync(path.join(packageFolder, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'));
			return folder;
		};

		const webhookPorts = await Promise.all(Array.from({ length: o.webhooks ?? 1 }, () => freePort()));
		// The address Apiframe is given (trigger URLs, resume URLs made on a worker): a webhook
		// processor, as a load balancer would route /webhook and /webhook-waiting.
		const webhookUrl = `http://127.0.0.1:${webhookPorts[0]}/`;
		/** Environment every n8n process gets, besides what process.mjs sets. @type {Record<string, string>} */
		const env = {
			...offlineEnv(2),
			...this.postgres.env,
			...this.redis.env,
			EXECUTIONS_MODE: 'queue',
			// Every process decrypts the same credentials and signs the same binary-data URLs.
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			// Manual runs ("Execute workflow") go to the workers too, as n8n 3 will always do. Every
			// process needs it: a webhook processor resuming a waiting manual run otherwise runs the
			// rest of it itself.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...o.env,
		};

		// Main first: it runs the migrations the others would otherwise race over.
		this.main = await this.time('main start', () =>
			startN8n({
				version: QUEUE_N8N_VERSION,
				userFolder: userFolder('main'),
				binaryDataMode: 'database',
				webhookUrl,
				// Production webhooks are the webhook processors' job.
				env: { ...env, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
			}),
		);

		/**
		 * @param {'worker' | 'webhook'} command
		 * @param {string} name
		 * @param {number} port  a webhook processor's HTTP port, or a worker's health port
		 */
		const spawnRole = async (command, name, port) => {
			/** @type {SpawnOptions} */
			const options = { install, command, userFolder: userFolder(name), port, binaryDataMode: 'database', webhookUrl, env };
			return new ClusterProcess(name, options, await spawnN8n(options));
		};
		for (let i = 0; i < (o.workers ?? 2); i++) this.workers.push(await spawnRole('worker', `worker-${i + 1}`, await freePort()));
		for (const [i, port] of webhookPorts.entries()) this.webhooks.push(await spawnRole('webhook', `webhook-${i + 1}`, port));
		await this.time('workers and webhook processors start', () =>
			Promise.all([...this.workers, ...this.webhooks].map((p) => p.server.waitReady())),
		);
	}

	/** Every n8n process's log tail, for failure messages. @param {number} [lines] */
	logTails(lines = 30) {
		const parts = [];
		if (this.main) parts.push(`--- main ---\n${this.main.server.logTail(lines)}`);
		for (const p of [...this.workers, ...this.webhooks]) parts.push(`--- ${p.name} ---\n${p.server.logTail(lines)}`);
		return parts.join('\n');
	}

	/**
	 * The worker whose log says it started the execution, or undefined.
	 * @param {string} executionId
	 */
	workerOf(executionId) {
		const line = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.workers.find((w) => line.test(w.server.log()));
	}

	/** Stops n8n first (so nothing writes to a vanishing database), then Redis and Postgres. */
	async stop() {
		await Promise.allSettled([...this.workers, ...this.webhooks].map((p) => p.server.stop()));
		await this.main?.stop().catch(() => {});
		await Promise.allSettled([this.redis?.stop(), this.postgres?.stop()]);
	}
}
