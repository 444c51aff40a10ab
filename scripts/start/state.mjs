// @ts-check
// A small file that says a demo is running and where, so a second `npm start` does not open the
// same SQLite database twice.

import fs from 'node:fs';
import path from 'node:path';
import { STATE_FILE } from './config.mjs';

/** @param {number} pid */
function isAlive(pid) {
	try {
		process.kill(pid, 0);
		// A zombie (exited, not yet reaped) still answers kill(0).
		return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
}

/** The state of a running demo, or null when none runs (a stale file is ignored). */
export function readRunningState() {
	let state;
	try {
		state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return null;
	}
	return state?.pid && isAlive(state.pid) ? state : null;
}

/** @param {object} state what the running demo tells a second start and the screenshots */
export function writeState(state) {
	fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
	fs.writeFileSync(STATE_FILE, JSON.stringify({ ...state, pid: process.pid }, null, 2));
}

/** Removes the file if it is ours (a second start that was refused must not remove the first's). */
export function clearState() {
	try {
		const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
		if (state.pid === process.pid) fs.rmSync(STATE_FILE, { force: true });
	} catch {
		// No file, or not one we can read: nothing of ours to remove.
	}
}
