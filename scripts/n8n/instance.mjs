// @ts-check
// A throwaway n8n for the end-to-end tests: the version installed from the cache, community
// packages installed into a fresh user folder, the server started and an owner and an API key set
// up. It composes the three parts and adds nothing to them: `server` (process.mjs) and `client`
// (client.mjs) are used directly. The server runs on Node 24; the caller may run on Node 20.
//
//   const n8n = await startN8n({ version: '2.41.1', communityPackage: '/tmp/pkg.tgz' });
//   const cred = await n8n.client.createCredential('seedanceApi', 'Seedance', { apiKey: '...' });
//   ...
//   await n8n.stop();

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { N8nClient } from './client.mjs';
import { DEFAULT_N8N_VERSION, ensureN8n } from './install.mjs';
import { installCommunityPackage } from './package.mjs';
import { ownerEnv, spawnN8n } from './process.mjs';

/** @typedef {import('./client.mjs').Owner} Owner */
/** @typedef {import('./process.mjs').N8nProcess} N8nProcess */

/** The owner account every instance is set up with (log in to the editor with it when debugging). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'Passw0rd!e2e',
};

/**
 * @typedef {object} StartOptions
 * @property {string} [version]              n8n version from the install cache (default 2.41.1; installed if missing)
 * @property {number} [port]                 HTTP port (default: a free one)
 * @property {number} [brokerPort]           task-runner broker port (default: a free one)
 * @property {string} [userFolder]           N8N_USER_FOLDER (default: a new temp folder, removed by stop())
 * @property {boolean} [keepUserFolder]      do not remove the temp user folder on stop()
 * @property {string | string[]} [communityPackage] tarball(s) installed into <userFolder>/.n8n/nodes (types `<pkg>.<node>`)
 * @property {string | string[]} [customExtensions] folder(s) for N8N_CUSTOM_EXTENSIONS (types `CUSTOM.<node>`)
 * @property {string} [binaryDataMode]       N8N_DEFAULT_BINARY_DATA_MODE (default 'filesystem')
 * @property {string} [webhookUrl]           WEBHOOK_URL (default http://127.0.0.1:<port>/)
 * @property {'rest' | 'env'} [ownerMode]    'rest' (POST /rest/owner/setup, default) or 'env' (env-managed owner, 2.x only)
 * @property {boolean} [apiKey]              create a public API key (default true)
 * @property {Record<string, string>} [env]  extra environment for n8n
 * @property {string} [logLevel]             N8N_LOG_LEVEL (default 'info')
 * @property {number} [readinessTimeoutMs]   default 180000
 */

/**
 * Starts n8n and sets it up; on failure stops it again and throws with its log's tail.
 * @param {StartOptions} [opts]
 */
export async function startN8n(opts = {}) {
	const version = opts.version || DEFAULT_N8N_VERSION;
	const major = Number(version.split('.')[0]);
	const ownerMode = opts.ownerMode || 'rest';
	if (ownerMode === 'env' && major < 2) {
		throw new Error('ownerMode "env" needs n8n 2.x (N8N_INSTANCE_OWNER_* does not exist in 1.x)');
	}
	const install = await ensureN8n(version);
	const userFolder = opts.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${version}-`));
	const removeUserFolder = !opts.userFolder && !opts.keepUserFolder;
	/** Startup milliseconds: package install, readiness stages (from the spawn), owner and API key. */
	const timings = /** @type {{ installPackageMs?: number, authMs?: number } & N8nProcess['timings']} */ ({});

	/** @type {N8nProcess | undefined} */
	let server;
	try {
		const t0 = Date.now();
		const packages = [opts.communityPackage ?? []].flat();
		for (const tgz of packages) installCommunityPackage(userFolder, tgz);
		if (packages.length) timings.installPackageMs = Date.now() - t0;

		server = await spawnN8n({
			install,
			userFolder,
			port: opts.port,
			brokerPort: opts.brokerPort,
			webhookUrl: opts.webhookUrl,
			binaryDataMode: opts.binaryDataMode,
			logLevel: opts.logLevel,
			customExtensions: [opts.customExtensions ?? []].flat(),
			env: { ...(ownerMode === 'env' ? ownerEnv(install, OWNER) : {}), ...opts.env },
		});
		await server.waitReady(opts.readinessTimeoutMs ?? 180000);
		Object.assign(timings, server.timings);

		const client = new N8nClient({ baseUrl: server.baseUrl, major, install });
		const tAuth = Date.now();
		if (ownerMode === 'env') await client.login(OWNER);
		else await client.setupOwner(OWNER);
		if (opts.apiKey !== false) await client.createApiKey();
		timings.authMs = Date.now() - tAuth;
		return new N8nInstance({ version, server, client, userFolder, removeUserFolder, timings });
	} catch (err) {
		// A half-started server would keep the caller's event loop (and the port) busy.
		const tail = server?.logTail(60) ?? '';
		await server?.stop().catch(() => {});
		if (removeUserFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		if (tail && !String(err.message).includes(tail)) err.message += `\n--- n8n log tail ---\n${tail}`;
		throw err;
	}
}

/** A started n8n: its process (`server`) and an HTTP client logged in as its owner (`client`). */
export class N8nInstance {
	/**
	 * @param {object} parts
	 * @param {string} parts.version
	 * @param {N8nProcess} parts.server
	 * @param {N8nClient} parts.client
	 * @param {string} parts.userFolder
	 * @param {boolean} parts.removeUserFolder
	 * @param {Record<string, number>} parts.timings startup milliseconds by stage
	 */
	constructor({ version, server, client, userFolder, removeUserFolder, timings }) {
		this.version = version;
		this.server = server;
		this.client = client;
		this.userFolder = userFolder;
		this.removeUserFolder = removeUserFolder;
		this.timings = timings;
	}

	/**
	 * Stops the server and its process group; removes the user folder if it was a temp one.
	 * @param {{ graceMs?: number }} [options]
	 */
	async stop(options) {
		await this.server.stop(options);
		if (this.removeUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}
