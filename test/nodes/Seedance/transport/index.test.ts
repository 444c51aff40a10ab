import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { apiRequest, type ApiRequest } from '../../../../nodes/Seedance/transport/index';
import { fetchJob } from '../../../../nodes/Seedance/transport/apiframe';
import { MAX_ATTEMPTS } from '../../../../nodes/Seedance/transport/retryPolicy';
import { disposeHarness } from '../../../harness';
import { runInNode } from '../fixtures';

/** One scripted answer: a status and body, or a dropped connection. */
type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop';

/** A small real HTTP server that answers each request with the next scripted answer (then 200 {}). */
class ScriptedServer {
	readonly requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
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
		this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
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

	it(`gives up after ${MAX_ATTEMPTS} attempts and says so`, async () => {
		server.script(...Array.from({ length: MAX_ATTEMPTS + 2 }, () => ({ status: 429, headers: NO_WAIT, body: { error: 'Slow down' } })));
		const { error } = await send();
		expect(server.requests).toHaveLength(MAX_ATTEMPTS);
		expect(error?.message).toBe(`Apiframe is rate limiting these requests (429) and still was after ${MAX_ATTEMPTS} attempts: Slow down`);
	});

	it('does not repeat a client error', async () => {
		server.script({ status: 404, body: { error: 'Job not found' } });
		const { error } = await send();
		expect(server.requests).toHaveLength(1);
		expect(error?.message).toBe('Apiframe does not know this job (404): Job not found');
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
