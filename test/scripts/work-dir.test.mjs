// @ts-check
// withWorkDir, which the benches run in: the folder is gone after the job, after a failed job, and
// after Ctrl-C or SIGTERM, when what the job started is stopped first.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { withWorkDir } from '../e2e/support/work-dir.mjs';

const WORK_DIR_MODULE = fileURLToPath(new URL('../e2e/support/work-dir.mjs', import.meta.url));

test('the folder exists while the job runs and is removed after it, with the answer passed on', async () => {
	const before = process.listenerCount('SIGTERM');
	let seen = '';
	const answer = await withWorkDir(async (workDir) => {
		seen = workDir;
		assert.ok(fs.statSync(workDir).isDirectory());
		assert.equal(process.listenerCount('SIGTERM'), before + 1);
		return 42;
	});
	assert.equal(answer, 42);
	assert.equal(fs.existsSync(seen), false);
	assert.equal(process.listenerCount('SIGTERM'), before, 'the signal handler outlived the job');
});

test('a failed job still removes its folder, and its error is thrown', async () => {
	let seen = '';
	await assert.rejects(
		withWorkDir(async (workDir) => {
			seen = workDir;
			throw new Error('the bench failed');
		}),
		/the bench failed/,
	);
	assert.ok(seen);
	assert.equal(fs.existsSync(seen), false);
});

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
	test(`${signal} stops what the job started, removes the folder and exits 130`, async () => {
		const script = `
			import fs from 'node:fs';
			import path from 'node:path';
			import { withWorkDir } from ${JSON.stringify(WORK_DIR_MODULE)};
			await withWorkDir(async (workDir, onStop) => {
				onStop(async () => fs.writeFileSync(path.join(path.dirname(workDir), path.basename(workDir) + '.stopped'), 'yes'));
				console.log(workDir);
				await new Promise(() => setInterval(() => {}, 1000));
			});
		`;
		const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
		const [line] = /** @type {[Buffer]} */ (await once(child.stdout, 'data'));
		const workDir = line.toString().trim();
		assert.ok(fs.statSync(workDir).isDirectory());
		child.kill(signal);
		const [code] = await once(child, 'exit');
		assert.equal(code, 130);
		assert.equal(fs.existsSync(workDir), false, 'the folder outlived the signal');
		const marker = path.join(path.dirname(workDir), `${path.basename(workDir)}.stopped`);
		assert.equal(fs.readFileSync(marker, 'utf8'), 'yes', 'what the job started was not stopped');
		fs.rmSync(marker);
	});
}
