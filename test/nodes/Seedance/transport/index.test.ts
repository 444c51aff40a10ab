import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { apiRequest, type ApiRequest } from '../../../../nodes/Seedance/transport/index';
import { fetchJob } from '../../../../nodes/Seedance/transport/apiframe';
import { paceRequests } from '../../../../nodes/Seedance/transport/pacing';
import { MAX_THROTTLED_WAIT_MS } from '../../../../nodes/Seedance/transport/retryPolicy';
import { disposeHarness } from '../../../harness';
import { runInNode } from '../fixtures';

/** One scripted answer: a status and body, or a dropped connection. */
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

/** A small real HTTP server that answers each request with the next scripted answer (then 200 {}). */
class ScriptedServer {
	readonly requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; at: number }> = [];
	private answers: Answer[] = [];
	private readonly server: Server = createServer((request, response) => this.answer(request, response));

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
	}

	get url(): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	script(...answers: Answer[]): void {
		this.answers = answers;
		this.requests.length = 0;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	private answer(request: IncomingMessage, response: ServerResponse) {
		request.resume();
		this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, at: Date.now() });
		const next = this.answers.shift() ?? { status: 200, body: {} };
		if (next === 'drop') {
			request.socket.destroy();
			return;
		}
		response.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
		response.end(JSON.stringify(next.body ?? {}));
	}
}

const server = new ScriptedServer();
beforeAll(async () => await server.start());
afterAll(async () => {
	await server.close();
	await disposeHarness();
});

const NO_WAIT = { 'retry-after': '0' };
const answerSchema = z.object({ ok: z.boolean() });

/** Sends one request through apiRequest in a real execution; returns its answer or its error. */
async function send(request: Partial<ApiRequest<{ ok: boolean }>> = {}) {
	let answer: unknown;
	const run = await runInNode({ apiKey: 'afk_test', baseUrl: server.url }, async function (this: IExecuteFunctions) {
		answer = await apiRequest(this, { method: 'GET', path: '/v2/thing', answer: answerSchema, ...request });
		return [{ json: {} }];
	});
	return { answer, error: run.error };
}

describe('the retry loop of every Apiframe request', () => {
	it('waits out 429s, as long as Retry-After says, then returns the answer', async () => {
		server.script({ status: 429, headers: NO_WAIT }, { status: 429, headers: NO_WAIT }, { status: 200, body: { ok: true } });
		const { answer, error } = await send({ method: 'POST', body: { a: 1 } });
		expect(error).toBeUndefined();
		expect(answer).toEqual({ ok: true });
		expect(server.requests).toHaveLength(3);
		expect(server.requests.every((request) => request.headers['x-api-key'] === 'afk_test')).toBe(true);
	});

	it('repeats a read after a 503 or a dropped connection', async () => {
		server.script({ status: 503, headers: NO_WAIT }, 'drop', { status: 200, body: { ok: true } });
		const { answer } = await send();
		expect(answer).toEqual({ ok: true });
		expect(server.requests).toHaveLength(3);
	});

	it('never repeats a submit without an Idempotency-Key after a 503, which might bill twice', async () => {
		server.script({ status: 503, headers: NO_WAIT, body: { error: 'Down for a moment' } });
		const { error } = await send({ method: 'POST', body: {} });
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe('Apiframe answered 503: Down for a moment');
	});

	it('repeats a submit under its Idempotency-Key, sending the same key every time', async () => {
		server.script({ status: 502, headers: NO_WAIT }, { status: 200, body: { ok: true } });
		const { answer } = await send({ method: 'POST', body: {}, idempotencyKey: 'n8n-seedance:run:1' });
		expect(answer).toEqual({ ok: true });
		expect(server.requests.map((request) => request.headers['idempotency-key'])).toEqual(['n8n-seedance:run:1', 'n8n-seedance:run:1']);
	});

	it('gives up once a storm of Retry-After: 0 has used the 31 s budget, a second a retry, and says so', async () => {
		const attempts = MAX_THROTTLED_WAIT_MS / 1000 + 1;
		server.script(...Array.from({ length: attempts + 2 }, () => ({ status: 429, headers: NO_WAIT, body: { error: 'Slow down' } })));
		const { error } = await send();
		expect(server.requests).toHaveLength(attempts);
		expect(error?.message).toBe(`Apiframe is rate limiting these requests (429) and still was after ${attempts} attempts: Slow down`);
	});

	it('holds the paced execution back for the Retry-After of a last attempt, not for a back-off of its own', async () => {
		const slowDown = { status: 429, headers: NO_WAIT, body: { error: 'Slow down' } };
		const attempts = MAX_THROTTLED_WAIT_MS / 1000 + 1;
		server.script(
			...Array.from({ length: attempts - 1 }, () => slowDown),
			{ ...slowDown, headers: { 'retry-after': '1' } },
			{ status: 200, body: { ok: true } },
		);
		let failed: Error | undefined;
		const run = await runInNode({ apiKey: 'afk_test', baseUrl: server.url }, async function (this: IExecuteFunctions) {
			paceRequests(this, 2);
			await apiRequest(this, { method: 'GET', path: '/v2/thing', answer: answerSchema }).catch((error: Error) => (failed = error));
			return [{ json: await apiRequest(this, { method: 'GET', path: '/v2/other', answer: answerSchema }) }];
		});
		expect(run.error).toBeUndefined();
		expect(failed?.message).toMatch(new RegExp(`still was after ${attempts} attempts`));
		expect(server.requests).toHaveLength(attempts + 1);
		// The next request waited the 1 s asked for; a back-off of its own would be 16 s.
		const held = server.requests[attempts].at - server.requests[attempts - 1].at;
		expect(held).toBeGreaterThanOrEqual(950);
		expect(held).toBeLessThan(8000);
	}, 30_000);

	it('rides out a storm of short Retry-Afters for as long as the back-off alone would wait', async () => {
		// 1 s apart, as Apiframe asks: more attempts than MAX_ATTEMPTS, none of them wasted waiting longer.
		const storm = Array.from({ length: 8 }, () => ({ status: 429, headers: { 'retry-after': '0.1' } }));
		server.script(...storm, { status: 200, body: { ok: true } });
		const { answer, error } = await send();
		expect(error).toBeUndefined();
		expect(answer).toEqual({ ok: true });
		expect(server.requests).toHaveLength(9);
		expect(MAX_THROTTLED_WAIT_MS).toBe(31_000);
	});

	it('does not repeat a client error', async () => {
		server.script({ status: 404, body: { error: 'Job not found' } });
		const { error } = await send({ path: '/v2/jobs/3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10' });
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe('Apiframe does not know this job (404): Job not found');
	});

	it('names the Base URL when a 404 shows it does not serve Apiframe\'s API', async () => {
		server.script({ status: 404, body: { error: 'Not found' } });
		const { error } = await send({ path: '/v2/me' });
		expect(error?.message).toBe(`The Base URL ${server.url} does not serve Apiframe's API: GET /v2/me answered 404: Not found`);
	});
});

describe("checking Apiframe's answers", () => {
	it('reports an answer that is not what the API describes, once, without retrying', async () => {
		server.script({ status: 200, body: { ok: 'yes' } });
		const { error } = await send();
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe(
			'Apiframe answered GET /v2/thing with something this node does not understand: ok: Expected boolean, received string',
		);
		expect(error?.constructor.name).toBe('NodeApiError');
	});

	it('names the job and keeps unknown fields of a job it can read', async () => {
		const jobId = '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10';
		server.script({ status: 200, body: { id: jobId, progress: 10 } }, { status: 200, body: { id: jobId, status: 'QUEUED', novelty: 1 } });
		let job: unknown;
		const run = await runInNode({ apiKey: 'afk_test', baseUrl: server.url }, async function (this: IExecuteFunctions) {
			await fetchJob.call(this, jobId, 0).catch((error: Error & { description?: string }) => {
				job = { message: error.message, description: error.description };
			});
			return [{ json: { read: await fetchJob.call(this, jobId, 0) } }];
		});
		expect(job).toEqual({
			message: `Apiframe answered GET /v2/jobs/${jobId} with something this node does not understand: status: Required`,
			description: expect.stringContaining(`Job ID: ${jobId}`),
		});
		expect(run.items[0].json.read).toEqual({ id: jobId, status: 'QUEUED', novelty: 1 });
	});
});
