// @ts-check
// Runs the Apiframe sandbox (dist/sandbox/cli.js) as a separate process, as a real API would be,
// and drives it through its admin routes.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'sandbox', 'cli.js');
const PARENT_WATCH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parent-watch.cjs');

export const SANDBOX_KEY = 'afk_sandbox_test_key';

/** @typedef {Awaited<ReturnType<typeof startSandboxProcess>>} SandboxProcess */

/**
 * A request the sandbox recorded (sandbox/state/recorder.ts), as its admin route lists it.
 * @typedef {{ method: string, path: string, headers: Record<string, string>, body?: any, status?: number, time: string }} RecordedRequest
 */

/**
 * A job in the sandbox's ledger (GET /__sandbox/jobs): the Job as GET /v2/jobs/{id} shows it, and
 * whether its charge was refunded. Every job was billed once, at submit.
 * @typedef {{ id: string, status: string, creditCost: number, refunded: boolean, createdAt: string,
 *   expired: boolean, input: any }} BilledJob
 */

/**
 * A webhook the sandbox sent (sandbox/webhooks/dispatcher.ts), as its admin route lists it.
 * @typedef {{ url: string, event: string, jobId: string | null, attempt: number, statusCode: number | null,
 *   error: string | null, time: string, manual: boolean }} WebhookDelivery
 */

/**
 * Starts the sandbox on a free port. `tmpDir` becomes its TMPDIR, so its uploads folder lives
 * inside a folder the caller removes even if the sandbox is killed before it can clean up.
 * @param {{ args?: string[], tmpDir?: string, startTimeoutMs?: number }} [options]
 */
export async function startSandboxProcess({ args = [], tmpDir, startTimeoutMs = 30000 } = {}) {
	if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
	const env = { ...process.env, ...(tmpDir ? { TMPDIR: tmpDir } : {}) };
	const child = spawn(process.execPath, ['--require', PARENT_WATCH, CLI, '--port', '0', '--quiet', ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const onExit = () => child.kill('SIGKILL');
	process.on('exit', onExit);

	const url = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`sandbox did not start in ${startTimeoutMs} ms:\n${output}`)), startTimeoutMs);
		const check = () => {
			const m = /listening on (http:\/\/\S+)/.exec(output);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]);
			}
		};
		child.stdout.on('data', check);
		exited.then((ex) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited before listening (${JSON.stringify(ex)}):\n${output}`));
		});
	}).catch(async (err) => {
		child.kill('SIGKILL');
		await exited;
		process.off('exit', onExit);
		throw err;
	});

	/**
	 * @param {string} method
	 * @param {string} route under /__sandbox/
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async function admin(method, route, body) {
		const res = await fetch(`${url}/__sandbox/${route}`, {
			method,
			headers: { 'x-api-key': SANDBOX_KEY, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`sandbox ${method} /__sandbox/${route} -> ${res.status}: ${text}`);
		return text ? JSON.parse(text) : null;
	}

	return {
		url,
		apiKey: SANDBOX_KEY,
		output: () => output,
		admin,
		/** @param {Record<string, unknown>} options */
		setOptions: (options) => admin('POST', 'options', options),
		reset: () => admin('POST', 'reset'),
		/** @returns {Promise<RecordedRequest[]>} */
		requests: async () => (await admin('GET', 'requests')).requests,
		/** @returns {Promise<{ balance: number, jobs: BilledJob[] }>} */
		ledger: () => admin('GET', 'jobs'),
		/**
		 * Queues faults (sandbox/state/faults.ts; `pathRegex` for a RegExp).
		 * @param {Record<string, unknown> | Record<string, unknown>[]} faults
		 */
		pushFaults: (faults) => admin('POST', 'faults', faults),
		/** @returns {Promise<WebhookDelivery[]>} */
		webhooks: async () => (await admin('GET', 'webhooks')).deliveries,
		/**
		 * SHA-256 and size of a job's result file, streamed (hundreds of MB are fine).
		 * @param {string} jobId
		 */
		async fileDigest(jobId) {
			const res = await fetch(`${url}/files/${jobId}.mp4`);
			if (!res.ok) throw new Error(`GET /files/${jobId}.mp4 -> ${res.status}`);
			return digestStream(res.body);
		},
		async stop() {
			process.off('exit', onExit);
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				let timer;
				const done = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r(null), 5000)))]);
				clearTimeout(timer);
				if (!done) {
					child.kill('SIGKILL');
					await exited;
				}
			}
		},
	};
}

/**
 * SHA-256 (hex) and byte count of a web ReadableStream or async iterable of chunks.
 * @param {AsyncIterable<Uint8Array> | null} stream null (a response without a body) is an error
 */
export async function digestStream(stream) {
	if (!stream) throw new Error('no body to digest');
	const hash = crypto.createHash('sha256');
	let bytes = 0;
	for await (const chunk of stream) {
		hash.update(chunk);
		bytes += chunk.length;
	}
	return { sha256: hash.digest('hex'), bytes };
}
