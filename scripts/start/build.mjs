// @ts-check
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { npmPack } from '../n8n/package.mjs';
import { PACK_DIR, REPO_ROOT } from './config.mjs';

/** @typedef {(child: import('node:child_process').ChildProcess) => void} OnSpawn */

/**
 * @param {string[]} args
 * @param {{ onSpawn?: OnSpawn }} [options]
 * @returns {Promise<void>}
 */
function runNode(args, { onSpawn } = {}) {
	return new Promise((resolve, reject) => {
		// The package's own tsc and gulp, as `npm run build` would run them, without a nested npm.
		const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
		onSpawn?.(child);
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} failed (${signal ?? `exit ${code}`})`)),
		);
	});
}

/**
 * Compiles the nodes and the sandbox into dist/ and copies the icons (= `npm run build`).
 * @param {{ onSpawn?: OnSpawn }} [options] `onSpawn` gets each child, so a Ctrl-C can stop it
 */
export async function build({ onSpawn } = {}) {
	/** @param {string} p */
	const bin = (p) => path.join(REPO_ROOT, 'node_modules', p);
	for (const p of ['typescript/bin/tsc', 'gulp/bin/gulp.js']) {
		if (!fs.existsSync(bin(p))) {
			throw new Error(`node_modules/${p} is missing: run \`npm ci\` in ${REPO_ROOT} first`);
		}
	}
	await runNode([bin('typescript/bin/tsc'), '-p', 'tsconfig.json'], { onSpawn });
	await runNode([bin('gulp/bin/gulp.js'), '--silent', 'build:icons'], { onSpawn });
}

/** `npm pack` into a fixed folder outside the clone, so no .tgz lands in the working tree. */
export function pack() {
	fs.rmSync(PACK_DIR, { recursive: true, force: true });
	fs.mkdirSync(PACK_DIR, { recursive: true });
	return npmPack(REPO_ROOT, PACK_DIR);
}
