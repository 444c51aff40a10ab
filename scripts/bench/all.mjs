#!/usr/bin/env node
// @ts-check
// `npm run bench`: the in-process figures (bench/run.ts, built to dist-bench/), the Seedance node
// side by side with the core-node loop in a real n8n (real-n8n.mjs), the Seedance Trigger's
// deliveries per second beside n8n's Webhook node (trigger-n8n.mjs), and what faults cost beside a
// fault-free run of the same rows in a real n8n (the failures suite's rows that print a ratio and
// their goal, docs/fault-matrix.md). Each step runs even when an earlier one misses a goal, so one
// run prints every figure; the exit code is 1 if any missed or failed.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @type {Array<{ title: string, args: string[] }>} */
const steps = [
	{ title: 'in-process: the node in n8n-core against the sandbox', args: ['--expose-gc', 'dist-bench/bench/run.js'] },
	{ title: 'real n8n 2.41.1: the Seedance node against the core-node loop', args: ['scripts/bench/real-n8n.mjs'] },
	{ title: "real n8n 2.41.1: the Seedance Trigger against n8n's Webhook node", args: ['scripts/bench/trigger-n8n.mjs'] },
	{
		title: 'real n8n 2.41.1: what a fault costs beside a fault-free run (goals printed per row)',
		args: ['--test', '--test-reporter=spec', '--test-name-pattern=^a (429 storm|job list).* costs ', 'test/e2e/failures.e2e.test.mjs'],
	},
];

let failed = 0;
for (const { title, args } of steps) {
	console.log(`\n== ${title} ==\n`);
	const { status, signal } = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
	if (signal) process.kill(process.pid, signal);
	if (status !== 0) failed++;
}
if (failed) {
	console.log(`\n${failed} of ${steps.length} bench steps missed a goal or failed (see above).`);
	process.exitCode = 1;
}
