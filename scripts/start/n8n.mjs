import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureN8n } from '../n8n/install.mjs';
import { N8nInstance, installCommunityPackage } from '../n8n/n8n-instance.mjs';
import { DEMO_OWNER, DEMO_USER_FOLDER, N8N_VERSION } from './config.mjs';

/**
 * An n8n on the persistent demo user folder. The owner is managed by environment variables
 * (n8n 2.x applies them with overwriteExisting at every start), so the printed login always
 * works, on the first start and after a restart alike; the instance only has to log in.
 */
class DemoN8n extends N8nInstance {
	// _start() spawns n8n and then waits for readiness; announcing the instance before that wait
	// lets a Ctrl-C during the wait still stop the process.
	async _waitReady(timeoutMs) {
		this.opts.onSpawn?.(this);
		return super._waitReady(timeoutMs);
	}

	async setupOwner() {
		await this.login();
	}

	async login() {
		const r = await this._request('POST', `${this.baseUrl}/rest/login`, {
			body: { emailOrLdapLoginId: DEMO_OWNER.email, password: DEMO_OWNER.password },
		});
		this._takeCookie(r.res);
		if (!this.cookie) throw new Error('login returned no n8n-auth cookie');
	}
}

/** Installs n8n (cached) and, on first use, a Node 24 to run it; resolves to its paths. */
export function ensureRuntime() {
	return ensureN8n(N8N_VERSION);
}

/**
 * Replaces the package in the demo user folder with the freshly packed tarball. The old copy
 * is removed first: npm would otherwise keep it, as the tarball's path and version are the same.
 */
export function installPackage(tarball) {
	const nodesDir = path.join(DEMO_USER_FOLDER, '.n8n', 'nodes');
	fs.rmSync(path.join(nodesDir, 'node_modules', 'n8n-nodes-seedance'), { recursive: true, force: true });
	installCommunityPackage(DEMO_USER_FOLDER, tarball);
}

/** Starts n8n with the installed package; `onSpawn` gets the instance as soon as the process exists. */
export async function startDemoN8n({ install, port, webhookUrl, onSpawn }) {
	fs.mkdirSync(DEMO_USER_FOLDER, { recursive: true });
	// One log per run; the previous one is kept beside it for a look after a crash.
	const logFile = path.join(DEMO_USER_FOLDER, 'n8n.log');
	if (fs.existsSync(logFile)) fs.renameSync(logFile, path.join(DEMO_USER_FOLDER, 'n8n.previous.log'));
	const bcrypt = createRequire(path.join(install.n8nModules, 'x.js'))('bcryptjs');
	const instance = new DemoN8n({
		version: N8N_VERSION,
		install,
		port,
		userFolder: DEMO_USER_FOLDER,
		webhookUrl,
		binaryDataMode: 'filesystem',
		apiKey: false,
		readinessTimeoutMs: 180000,
		onSpawn,
		env: {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: DEMO_OWNER.email,
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(DEMO_OWNER.password, 10),
			N8N_INSTANCE_OWNER_FIRST_NAME: DEMO_OWNER.firstName,
			N8N_INSTANCE_OWNER_LAST_NAME: DEMO_OWNER.lastName,
			// Ctrl-C should end the demo within seconds, even with a video job being waited for.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		},
	});
	await instance._start();
	return instance;
}
