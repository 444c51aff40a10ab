// @ts-check
import fs from 'node:fs';
import path from 'node:path';
import { N8nClient } from '../n8n/client.mjs';
import { ensureN8n } from '../n8n/install.mjs';
import { installCommunityPackage } from '../n8n/package.mjs';
import { ownerEnv, spawnN8n } from '../n8n/process.mjs';
import { DEMO_OWNER, DEMO_USER_FOLDER, N8N_VERSION } from './config.mjs';

/** @typedef {import('../n8n/install.mjs').N8nPaths} N8nPaths */
/** @typedef {import('../n8n/process.mjs').N8nProcess} N8nProcess */

/** Installs n8n (cached) and, on first use, a Node 24 to run it; resolves to its paths. */
export function ensureRuntime() {
	return ensureN8n(N8N_VERSION);
}

/**
 * Replaces the package in the demo user folder with the freshly packed tarball. The old copy
 * is removed first: npm would otherwise keep it, as the tarball's path and version are the same.
 * @param {string} tarball
 */
export function installPackage(tarball) {
	const nodesDir = path.join(DEMO_USER_FOLDER, '.n8n', 'nodes');
	fs.rmSync(path.join(nodesDir, 'node_modules', 'n8n-nodes-seedance'), { recursive: true, force: true });
	installCommunityPackage(DEMO_USER_FOLDER, tarball);
}

/**
 * Starts n8n on the persistent demo user folder and logs in. The owner is managed by environment
 * variables (n8n 2.x applies them with overwriteExisting at every start), so the printed login
 * always works, on the first start and after a restart alike. `onSpawn` gets the process before
 * the wait for readiness, so a Ctrl-C during that wait can still stop it.
 * @param {{ install: N8nPaths, port: number, webhookUrl: string, onSpawn?: (server: N8nProcess) => void }} options
 */
export async function startDemoN8n({ install, port, webhookUrl, onSpawn }) {
	fs.mkdirSync(DEMO_USER_FOLDER, { recursive: true });
	// One log per run; the previous one is kept beside it for a look after a crash.
	const logFile = path.join(DEMO_USER_FOLDER, 'n8n.log');
	if (fs.existsSync(logFile)) fs.renameSync(logFile, path.join(DEMO_USER_FOLDER, 'n8n.previous.log'));
	const server = await spawnN8n({
		install,
		port,
		userFolder: DEMO_USER_FOLDER,
		webhookUrl,
		binaryDataMode: 'filesystem',
		env: {
			...ownerEnv(install, DEMO_OWNER),
			// Ctrl-C should end the demo within seconds, even with a video job being waited for.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		},
	});
	onSpawn?.(server);
	await server.waitReady(180000);
	const client = new N8nClient({ baseUrl: server.baseUrl, major: server.major, install });
	await client.login(DEMO_OWNER);
	return { server, client };
}
