// @ts-check
// A server process (n8n, Postgres, Redis) in its own process group, optionally as another user,
// with a watchdog in that group: if this process dies without stopping it (SIGKILL, a killed test
// runner or CI job), the watchdog takes the whole group down, so nothing is left running.
//
//   const server = spawnGroup({ command, args, logFile });
//   await server.stop();   // the stop signal to the group, SIGKILL after a grace period

import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * @typedef {object} GroupSpawnOptions
 * @property {string} command             executable
 * @property {string[]} args
 * @property {string} logFile             stdout and stderr go here
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {{ uid: number, gid: number }} [user] run as this user (needs root)
 * @property {NodeJS.Signals} [stopSignal] the signal for a clean stop (default SIGTERM)
 */

/** @param {GroupSpawnOptions} opts */
export function spawnGroup(opts) {
	return new ProcessGroup(opts);
}

export class ProcessGroup {
	/** @param {GroupSpawnOptions} opts */
	constructor(opts) {
		this.command = opts.command;
		this.logFile = opts.logFile;
		this.stopSignal = opts.stopSignal ?? 'SIGTERM';
		const out = fs.openSync(opts.logFile, 'a');
		if (opts.user) fs.fchownSync(out, opts.user.uid, opts.user.gid);
		// The shell starts the watchdog in the background and then execs the server, which keeps the
		// shell's pid ($$). The watchdog checks /proc/<pid> rather than `kill -0`: it may run as a
		// user who may not signal this process.
		const watchdog =
			`( trap '' TERM INT; while [ -d /proc/${process.pid} ]; do sleep 1; done; ` +
			`kill -${this.stopSignal.replace(/^SIG/, '')} 0; i=0; ` +
			`while kill -0 $$ 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done; ` +
			`kill -KILL 0 ) </dev/null >/dev/null 2>&1 & ` +
			`exec "$0" "$@"`;
		// detached: the shell, then the server it execs, leads a new session and process group, so
		// a signal to the group reaches the server and everything it started.
		const child = spawn('/bin/sh', ['-c', watchdog, opts.command, ...opts.args], {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			detached: true,
			stdio: ['ignore', out, out],
			...(opts.user ?? {}),
		});
		fs.closeSync(out);
		if (child.pid === undefined) throw new Error(`could not start ${opts.command} (see ${opts.logFile})`);
		/** PID of the server, also its process-group id. */
		this.pid = child.pid;
		this.running = true;
		/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
		this.exited = new Promise((resolve) =>
			child.on('exit', (code, signal) => {
				this.running = false;
				resolve({ code, signal });
			}),
		);
		this.onProcessExit = () => this.kill();
		process.on('exit', this.onProcessExit);
	}

	/** The whole log so far ('' if there is none). */
	log() {
		try {
			return fs.readFileSync(this.logFile, 'utf8');
		} catch {
			return '';
		}
	}

	/** @param {number} [lines] */
	logTail(lines = 30) {
		return this.log().split('\n').slice(-lines).join('\n');
	}

	/** SIGKILL to the whole group at once. */
	kill() {
		try {
			process.kill(-this.pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}

	/**
	 * The stop signal to the group, SIGKILL after graceMs, and the group gone either way (a child
	 * such as n8n's task runner may outlive the server briefly).
	 * @param {{ graceMs?: number }} [options]
	 */
	async stop({ graceMs = 10000 } = {}) {
		process.off('exit', this.onProcessExit);
		if (this.running) {
			try {
				process.kill(-this.pid, this.stopSignal);
			} catch {
				// Exited meanwhile.
			}
			// A pending grace timer would keep this process alive for graceMs after the server exits.
			/** @type {NodeJS.Timeout | undefined} */
			let timer;
			const done = await Promise.race([this.exited, new Promise((resolve) => (timer = setTimeout(() => resolve(null), graceMs)))]);
			clearTimeout(timer);
			if (!done) {
				this.kill();
				await this.exited;
			}
		}
		this.kill();
	}
}
