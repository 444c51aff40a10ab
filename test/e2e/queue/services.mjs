// @ts-check
// Postgres and Redis for n8n's queue mode, from Debian's `postgresql` and `redis-server`
// packages, run by the tests themselves: unprivileged processes with their data in a temp
// folder of their own, on free loopback ports. No system service is started or used. A folder
// left by a killed run is removed by the next run (support/work-dir.mjs).
//
//   const tools = ensureServerPackages();           // installs with apt-get when root and missing
//   const pg = await startPostgres({ tools });       // pg.env: DB_* for n8n
//   const redis = await startRedis({ tools });       // redis.env: QUEUE_BULL_REDIS_* for n8n
//   await pg.stop(); await redis.stop();             // also removes their folders

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnGroup } from '../../../scripts/n8n/process-group.mjs';
import { freePort } from '../../../scripts/n8n/process.mjs';
import { createWorkDir } from '../support/work-dir.mjs';

const DEBIAN_PACKAGES = ['postgresql', 'redis-server'];
/** n8n supports Postgres 13 and later. */
const MIN_POSTGRES_MAJOR = 13;
const POSTGRES_LIBS = '/usr/lib/postgresql';

/**
 * @typedef {object} ServerTools
 * @property {string} postgresBin  folder holding initdb, postgres, pg_isready, createdb, psql
 * @property {number} postgresMajor
 * @property {string} redisServer  path of redis-server
 * @property {string} redisVersion
 * @property {{ name: string, uid: number, gid: number } | null} user  who runs the servers (null: this process's user)
 * @property {string[]} installed  packages this call installed
 */

/** @returns {{ bin: string, major: number } | null} the newest Postgres under /usr/lib/postgresql */
function findPostgres() {
	if (!fs.existsSync(POSTGRES_LIBS)) return null;
	const found = fs
		.readdirSync(POSTGRES_LIBS)
		.map((v) => ({ major: Number(v), bin: path.join(POSTGRES_LIBS, v, 'bin') }))
		.filter((p) => p.major >= MIN_POSTGRES_MAJOR && ['initdb', 'postgres', 'pg_isready', 'createdb', 'psql'].every((b) => fs.existsSync(path.join(p.bin, b))))
		.sort((a, b) => b.major - a.major);
	return found[0] ?? null;
}

/** @returns {string | null} */
function findRedis() {
	const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	const found = r.stdout.trim();
	return r.status === 0 && found ? found : null;
}

/** @param {string} name @returns {{ name: string, uid: number, gid: number } | null} */
function lookupUser(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) return null;
	const [, , uid, gid] = line.split(':');
	return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * Runs apt-get as root to install the missing packages. Starting their system services is
 * refused for the duration (the policy-rc.d convention) unless the machine already has a policy.
 * @param {string[]} packages
 */
function aptInstall(packages) {
	const policy = '/usr/sbin/policy-rc.d';
	const ownPolicy = !fs.existsSync(policy);
	if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\n# Written by the queue-mode tests while they install packages.\nexit 101\n', { mode: 0o755 });
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// Wait for another apt run (a parallel job) instead of failing on its lock.
		const lock = ['-o', 'DPkg::Lock::Timeout=600'];
		for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
			console.log(`queue-mode tests: apt-get ${args.join(' ')}`);
			const r = spawnSync('apt-get', [...lock, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
			if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
		}
	} finally {
		if (ownPolicy) fs.rmSync(policy, { force: true });
	}
}

/**
 * Finds Postgres (13+) and Redis; when either is missing and this process is root with apt-get,
 * installs Debian's packages and says so. Otherwise fails with what to install: these tests are
 * never skipped for want of a server.
 * @returns {ServerTools}
 */
export function ensureServerPackages() {
	let postgres = findPostgres();
	let redisServer = findRedis();
	/** @type {string[]} */
	const installed = [];
	const isRoot = process.getuid?.() === 0;
	if (!postgres || !redisServer) {
		const missing = DEBIAN_PACKAGES.filter((p) => (p === 'postgresql' ? !postgres : !redisServer));
		const canApt = isRoot && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
		if (!canApt) {
			throw new Error(
				`The queue-mode tests need PostgreSQL ${MIN_POSTGRES_MAJOR}+ and Redis; missing: ${missing.join(', ')}. ` +
					`Install them with \`sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}\` (Debian/Ubuntu), ` +
					'or run the tests as root, when they install the packages themselves. No system service is needed.',
			);
		}
		aptInstall(missing);
		installed.push(...missing);
		postgres = findPostgres();
		redisServer = findRedis();
		if (!postgres || !redisServer) throw new Error(`apt-get installed ${missing.join(', ')} but the servers are still not found`);
		console.log(`queue-mode tests: installed ${installed.join(', ')} with apt-get; their system services were not started`);
	}
	// Postgres refuses to run as root; Redis is run the same way for symmetry.
	const user = isRoot ? lookupUser('postgres') ?? lookupUser('nobody') : null;
	if (isRoot && !user) throw new Error('running as root, but neither a "postgres" nor a "nobody" user exists to run the servers as');
	const redisVersion = /v=(\S+)/.exec(spawnSync(redisServer, ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
	return { postgresBin: postgres.bin, postgresMajor: postgres.major, redisServer, redisVersion, user, installed };
}

/**
 * A temp folder of the servers' own, which their user may write.
 * @param {ServerTools['user']} user
 */
function serverDir(user) {
	const dir = createWorkDir();
	if (user) fs.chownSync(dir, user.uid, user.gid);
	return dir;
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {ServerTools['user']} user
 */
function runAs(command, args, user) {
	const r = spawnSync(command, args, { encoding: 'utf8', ...(user ? { uid: user.uid, gid: user.gid } : {}) });
	if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
	return r.stdout;
}

/**
 * Starts a server in a temp folder of its own and waits until `ready` says so; on failure it is
 * stopped and its folder removed before the error is thrown.
 * @param {object} opts
 * @param {string} opts.name                     for messages, and the log file's name
 * @param {ServerTools['user']} opts.user
 * @param {(home: string) => void} [opts.prepare] runs in the new folder before the server starts
 * @param {(home: string, port: number) => Omit<import('../../../scripts/n8n/process-group.mjs').GroupSpawnOptions, 'logFile' | 'cwd' | 'user'>} opts.spawn
 * @param {(port: number) => Promise<boolean>} opts.ready
 * @param {number} opts.timeoutMs
 */
async function runServer({ name, user, prepare, spawn, ready, timeoutMs }) {
	const t0 = Date.now();
	const home = serverDir(user);
	const port = await freePort();
	/** @type {import('../../../scripts/n8n/process-group.mjs').ProcessGroup | undefined} */
	let server;
	const stop = async () => {
		await server?.stop();
		fs.rmSync(home, { recursive: true, force: true });
	};
	try {
		prepare?.(home);
		server = spawnGroup({ ...spawn(home, port), cwd: home, logFile: path.join(home, `${name.toLowerCase()}.log`), user: user ?? undefined });
		const deadline = Date.now() + timeoutMs;
		while (!(await ready(port).catch(() => false))) {
			if (!server.running) throw new Error(`${name} exited before it was ready:\n${server.logTail()}`);
			if (Date.now() > deadline) throw new Error(`${name} not ready on port ${port} after ${timeoutMs} ms:\n${server.logTail()}`);
			await sleep(100);
		}
	} catch (err) {
		await stop();
		throw err;
	}
	return { server, home, port, startMs: Date.now() - t0, stop };
}

export const POSTGRES_DATABASE = 'n8n';
export const POSTGRES_USER = 'n8n';

/**
 * initdb into a temp folder, then the server on a free port, loopback only, trust auth, no
 * fsync (the data is thrown away), and a database for n8n.
 * @param {{ tools: ServerTools, timeoutMs?: number }} opts
 */
export async function startPostgres({ tools, timeoutMs = 60000 }) {
	const bin = (/** @type {string} */ name) => path.join(tools.postgresBin, name);
	const started = await runServer({
		name: 'Postgres',
		user: tools.user,
		prepare: (home) =>
			runAs(bin('initdb'), ['-D', path.join(home, 'data'), '-U', POSTGRES_USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], tools.user),
		spawn: (home, port) => ({
			command: bin('postgres'),
			args: [
				'-D', path.join(home, 'data'),
				'-p', String(port),
				'-c', 'listen_addresses=127.0.0.1',
				'-c', `unix_socket_directories=${home}`,
				'-c', 'fsync=off',
				'-c', 'synchronous_commit=off',
				'-c', 'full_page_writes=off',
			],
			// SIGINT is Postgres's fast shutdown; SIGTERM would wait for every client to leave.
			stopSignal: 'SIGINT',
		}),
		ready: async (port) => spawnSync(bin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q']).status === 0,
		timeoutMs,
	});
	const { port } = started;
	try {
		runAs(bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_USER, POSTGRES_DATABASE], null);
	} catch (err) {
		await started.stop();
		throw err;
	}
	return {
		...started,
		/** What n8n needs to use this database. */
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: POSTGRES_DATABASE,
			DB_POSTGRESDB_USER: POSTGRES_USER,
			DB_POSTGRESDB_PASSWORD: '',
		},
		/**
		 * Runs SQL with psql against n8n's database; returns the unaligned output (`|` between columns).
		 * @param {string} sql
		 */
		query: (/** @type {string} */ sql) =>
			runAs(bin('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', POSTGRES_USER, '-d', POSTGRES_DATABASE, '-Atc', sql], null).trim(),
	};
}

/** @param {number} port @returns {Promise<boolean>} whether Redis answers PING with PONG */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

/**
 * redis-server on a free loopback port with a temp folder and no persistence.
 * @param {{ tools: ServerTools, timeoutMs?: number }} opts
 */
export async function startRedis({ tools, timeoutMs = 30000 }) {
	const started = await runServer({
		name: 'Redis',
		user: tools.user,
		spawn: (home, port) => ({
			command: tools.redisServer,
			args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', home, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
		}),
		ready: redisPing,
		timeoutMs,
	});
	/** What n8n needs to use this Redis. */
	const env = { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(started.port) };
	return { ...started, env };
}
