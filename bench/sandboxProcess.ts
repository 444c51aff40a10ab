import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** The sandbox in its own process, so its streaming does not count towards the node's memory. */
export interface SandboxProcess {
	url: string;
	apiKey: string;
	setOptions(options: Record<string, unknown>): Promise<void>;
	requests(): Promise<Array<{ method: string; path: string; time: string; status?: number }>>;
	/** Every job of the sandbox's key, as GET /v2/jobs lists them (those reads are recorded too). */
	jobs(): Promise<Array<{ id: string; createdAt: string; completedAt: string | null }>>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
	const port = await freePort();
	const cli = path.resolve(__dirname, '..', 'sandbox', 'cli.js');
	const child: ChildProcess = spawn(process.execPath, [cli, '--port', String(port), '--quiet', ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = `http://127.0.0.1:${port}`;
	const apiKey = 'afk_sandbox_test_key';
	await new Promise<void>((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
		child.stdout!.on('data', (chunk: Buffer) => {
			if (chunk.toString().includes('listening')) resolve();
		});
	});
	const admin = async (method: string, route: string, body?: unknown) => {
		const response = await fetch(`${url}/__sandbox/${route}`, {
			method,
			headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`sandbox ${route}: ${response.status} ${await response.text()}`);
		const text = await response.text();
		return (text ? JSON.parse(text) : null) as unknown;
	};
	return {
		url,
		apiKey,
		setOptions: async (options) => void (await admin('POST', 'options', options)),
		requests: async () => {
			const answer = (await admin('GET', 'requests')) as { requests?: unknown } | unknown[];
			return (Array.isArray(answer) ? answer : (answer as { requests: unknown[] }).requests) as Array<{
				method: string;
				path: string;
				time: string;
				status?: number;
			}>;
		},
		jobs: async () => {
			const all: Array<{ id: string; createdAt: string; completedAt: string | null }> = [];
			for (let cursor: string | null = null; ; ) {
				const query: string = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
				const response = await fetch(`${url}/v2/jobs?${query}`, { headers: { 'x-api-key': apiKey } });
				const page = (await response.json()) as { jobs: typeof all; nextCursor: string | null };
				all.push(...page.jobs);
				if (!page.nextCursor) return all;
				cursor = page.nextCursor;
			}
		},
		reset: async () => void (await admin('POST', 'reset')),
		stop: async () => {
			child.removeAllListeners('exit');
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
