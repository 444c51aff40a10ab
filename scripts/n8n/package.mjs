// @ts-check
// A package as n8n receives it: `npm pack` of a folder, and the tarball installed into a user
// folder the way n8n's community-package installer does it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmEnv } from './install.mjs';

/**
 * Packs a package folder with `npm pack`; returns the absolute path of the tarball.
 * @param {string} pkgDir
 * @param {string} [destDir] default: a new temp folder
 */
export function npmPack(pkgDir, destDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'))) {
	const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', destDir], {
		cwd: pkgDir,
		// The running Node packs; n8n's Node 24 has nothing to do with it.
		env: npmEnv({ nodeBin: process.execPath }),
		encoding: 'utf8',
		// A prepack/prepare script (e.g. a build) may run here; let its errors surface.
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const name = r.stdout?.trim().split('\n').pop()?.trim();
	if (r.status !== 0 || !name) throw new Error(`npm pack failed in ${pkgDir}:\n${r.stderr}${r.stdout}`);
	return path.join(destDir, name);
}

/**
 * Installs a package tarball the way n8n's community-package installer does: into
 * <userFolder>/.n8n/nodes with peer dependencies left out (n8n-workflow etc. then resolve to
 * n8n's own copies through the NODE_PATH n8n sets at startup). Returns that nodes folder.
 * @param {string} userFolder
 * @param {string} tarball
 */
export function installCommunityPackage(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pj = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pj)) {
		fs.writeFileSync(pj, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	const r = spawnSync(
		'npm',
		['install', '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', path.resolve(tarball)],
		// As n8n would run it: with n8n's Node first on PATH.
		{ cwd: nodesDir, env: npmEnv(), encoding: 'utf8' },
	);
	if (r.status !== 0) throw new Error(`npm install of ${tarball} failed:\n${r.stderr}${r.stdout}`);
	return nodesDir;
}
