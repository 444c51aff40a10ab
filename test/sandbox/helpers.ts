import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

export const KEY = 'afk_sandbox_test_key';
export const INACTIVE_KEY = 'afk_sandbox_inactive_key';

/** Short timings keep the suite to seconds. */
export const FAST: SandboxOptions = { queueMs: 50, processingMs: 300, webhookRetryDelaysMs: [50, 100, 150], progressWebhookIntervalMs: 50 };

export function start(options: SandboxOptions = {}): Promise<Sandbox> {
	return startSandbox({ ...FAST, ...options });
}

export interface ApiResponse<T = any> {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	json: T;
	text: string;
}

export interface CallOptions {
	body?: unknown;
	rawBody?: string | Buffer;
	headers?: Record<string, string>;
	/** null sends no key. */
	key?: string | null;
}

export async function api<T = any>(sb: Sandbox, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
	const headers: Record<string, string> = { ...opts.headers };
	const key = opts.key === undefined ? KEY : opts.key;
	if (key !== null) headers['x-api-key'] = key;
	let body: string | Buffer | undefined = opts.rawBody;
	if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['content-type'] = 'application/json';
	}
	const res = await request(`${sb.url}${path}`, { method: method as 'GET', headers, body });
	const text = await res.body.text();
	let json: any = undefined;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.statusCode, headers: res.headers, json, text };
}

export function submit(sb: Sandbox, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
	return api(sb, 'POST', '/v2/videos/generate', { body, headers });
}

export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, everyMs = 25): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		if (Date.now() > deadline) throw new Error('waitFor timed out');
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

export async function waitForStatus(sb: Sandbox, jobId: string, status: string, timeoutMs = 5000): Promise<any> {
	return waitFor(async () => {
		const res = await api(sb, 'GET', `/v2/jobs/${jobId}`);
		return res.json.status === status ? res.json : undefined;
	}, timeoutMs);
}

export interface ReceivedWebhook {
	headers: IncomingHttpHeaders;
	raw: Buffer;
	json: any;
	time: number;
}

export interface Receiver {
	url: string;
	received: ReceivedWebhook[];
	/** Statuses answered in order; 200 once exhausted. */
	script: number[];
	close(): Promise<void>;
}

/** A local webhook endpoint that records what it gets. */
export async function startReceiver(script: number[] = []): Promise<Receiver> {
	const received: ReceivedWebhook[] = [];
	const state = { script: [...script] };
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let json: any;
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				json = undefined;
			}
			received.push({ headers: req.headers, raw, json, time: Date.now() });
			const status = state.script.shift() ?? 200;
			res.writeHead(status, { 'content-type': 'text/plain' });
			res.end(status < 300 ? 'ok' : 'nope');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		get script() {
			return state.script;
		},
		set script(v: number[]) {
			state.script = [...v];
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
