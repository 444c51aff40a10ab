// @ts-check
// One temp folder per test run for everything it writes (tarball, sandbox uploads, n8n user
// folders). It records the owning pid, so a later run can remove what a killed run left behind.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmPack } from '../../../scripts/n8n/package.mjs';

const PREFIX = 'seedance-e2e-';
const OWNER_FILE = 'owner.pid';

/** @param {number} pid */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

/** Removes folders of earlier runs whose process is gone (killed with SIGKILL, so no cleanup ran). */
export function removeAbandonedWorkDirs(root = os.tmpdir()) {
	const removed = [];
	for (const name of fs.readdirSync(root)) {
		if (!name.startsWith(PREFIX)) continue;
		const dir = path.join(root, name);
		let pid;
		try {
			if (!fs.statSync(dir).isDirectory()) continue;
			pid = Number(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
		} catch {
			continue;
		}
		if (pid && !alive(pid)) {
			fs.rmSync(dir, { recursive: true, force: true });
			removed.push(dir);
		}
	}
	return removed;
}

export function createWorkDir(root = os.tmpdir()) {
	const dir = fs.mkdtempSync(path.join(root, PREFIX));
	fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
	return dir;
}

/** A new work folder, once what killed runs left behind is removed. */
function freshWorkDir() {
	for (const dir of removeAbandonedWorkDirs()) console.log(`removed ${dir}, left by a killed run`);
	return createWorkDir();
}

/**
 * A test run's folder with the built package packed into it, as n8n receives a community package;
 * what killed runs left behind is removed first.
 * @param {string} root the package's folder, built (dist/)
 * @returns {{ workDir: string, tarball: string }}
 */
export function packIntoWorkDir(root) {
	if (!fs.existsSync(path.join(root, 'dist', 'nodes', 'Seedance', 'Seedance.node.js'))) {
		throw new Error('dist/ is missing: run npm run build');
	}
	const workDir = freshWorkDir();
	return { workDir, tarball: npmPack(root, workDir) };
}

/**
 * Runs `job` in a new work folder and removes the folder afterwards (`job` stops what it started).
 * When the process is stopped with Ctrl-C or SIGTERM, the process `job` last handed to `onStop`
 * (an n8n, a sandbox) is stopped, the folder removed, and the exit code is 130. Folders of killed
 * runs are removed first.
 * @template T
 * @param {(workDir: string, onStop: (stop: () => Promise<unknown>) => void) => Promise<T>} job
 * @returns {Promise<T>}
 */
export async function withWorkDir(job) {
	const workDir = freshWorkDir();
	/** @type {(() => Promise<unknown>) | undefined} */
	let stop;
	const onSignal = () => {
		stop?.().catch(() => {});
		fs.rmSync(workDir, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		return await job(workDir, (next) => (stop = next));
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		fs.rmSync(workDir, { recursive: true, force: true });
	}
}
