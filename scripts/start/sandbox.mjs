// @ts-check
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SANDBOX_LOG } from './config.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-child.cjs');
const READY = /Apiframe sandbox listening on (\S+) \(API key: ([^)]+)\)/;

/**
 * Starts the Apiframe sandbox as a child process and resolves once it listens.
 * Its request log goes to SANDBOX_LOG, not the terminal, so the start summary stays readable.
 * @param {{ port: number, timeoutMs?: number }} options
 */
export function startSandbox({ port, timeoutMs = 30000 }) {
	fs.mkdirSync(path.dirname(SANDBOX_LOG), { recursive: true });
	const log = fs.createWriteStream(SANDBOX_LOG, { flags: 'w' });
	const child = spawn(process.execPath, [CHILD, '--port', String(port)], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	/** What it printed until it listened; null after. @type {string | null} */
	let seen = '';
	/** @type {Promise<{ url: string, apiKey: string }>} */
	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`sandbox did not start within ${timeoutMs} ms; see ${SANDBOX_LOG}`)), timeoutMs);
		/** @param {Buffer} chunk */
		const onData = (chunk) => {
			log.write(chunk);
			if (seen === null) return;
			seen += chunk;
			const m = READY.exec(seen);
			if (m) {
				seen = null;
				clearTimeout(timer);
				resolve({ url: m[1], apiKey: m[2] });
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		exited.then(({ code, signal }) => {
			clearTimeout(timer);
			reject(new Error(`sandbox exited (${signal ?? `code ${code}`}) before listening:\n${typeof seen === 'string' ? seen.trim() : ''}`));
		});
	});
	return {
		child,
		exited,
		ready,
		logFile: SANDBOX_LOG,
		async stop(graceMs = 3000) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), graceMs))]);
				if (!done) child.kill('SIGKILL');
			}
			await exited;
			await new Promise((r) => log.end(r));
		},
	};
}
