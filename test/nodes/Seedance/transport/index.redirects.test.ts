import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { MAX_SAME_ORIGIN_REDIRECTS, apiRequest, type ApiRequest } from '../../../../nodes/Seedance/transport/index';
import {
	createAsset,
	fetchAccount,
	fetchJob,
	fetchJobPage,
	fetchVideoModelCatalogue,
	submitVideo,
} from '../../../../nodes/Seedance/transport/apiframe';
import { uploadBinaryMedia } from '../../../../nodes/Seedance/transport/upload';
import type { ApiframeJob } from '../../../../nodes/Seedance/transport/responses';
import { readJobs } from '../../../../nodes/Seedance/jobs/read';
import { submitted } from '../../../../nodes/Seedance/jobs/trackedJob';
import type { SeedanceRequestBody } from '../../../../nodes/Seedance/schemas/seedanceRequest';
import { disposeHarness } from '../../../harness';
import { runInNode } from '../fixtures';
import { answerOk, StandInHost } from '../standInHosts';

const KEY = 'afk_redirect_test_key';
const JOB_ID = '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10';

/** "Another host": whatever reaches it is recorded, and answered as if it were Apiframe. */
const elsewhere = new StandInHost('127.0.0.2', answerOk);
/** The credential's Base URL: it answers every request with `redirect.status` to `redirect.to(path)`. */
const redirect = { status: 302, to: (path: string) => `${elsewhere.origin}${path}` };
const baseUrl = new StandInHost('127.0.0.1', (request, response) => {
	request.resume();
	response.writeHead(redirect.status, { location: redirect.to(request.url ?? '/'), 'content-type': 'application/json' });
	response.end('{}');
});

beforeAll(async () => {
	await elsewhere.start();
	await baseUrl.start();
});
afterAll(async () => {
	await baseUrl.close();
	await elsewhere.close();
	await disposeHarness();
});
beforeEach(() => {
	elsewhere.requests.length = 0;
	baseUrl.requests.length = 0;
	redirect.status = 302;
	redirect.to = (path) => `${elsewhere.origin}${path}`;
});

async function run(call: (this: IExecuteFunctions) => Promise<unknown>) {
	let answer: unknown;
	const result = await runInNode({ apiKey: KEY, baseUrl: baseUrl.origin }, async function (this: IExecuteFunctions) {
		answer = await call.call(this);
		return [{ json: {} }];
	});
	return { answer, error: result.error };
}

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** Every authenticated call the node makes, as the node makes it. */
const calls: Array<[string, (this: IExecuteFunctions) => Promise<unknown>]> = [
	['GET /v2/jobs/{id} (job read)', async function () {
		return await fetchJob.call(this, JOB_ID, 0);
	}],
	['GET /v2/jobs (job list)', async function () {
		return await fetchJobPage.call(this, { limit: 10 }, 0);
	}],
	['GET /v2/me (account, balance check)', async function () {
		return await fetchAccount.call(this, 0);
	}],
	['GET /v2/models (price list)', async function () {
		return await fetchVideoModelCatalogue.call(this);
	}],
	['POST /v2/videos/generate (submit)', async function () {
		return await submitVideo.call(this, { model: 'seedance-2', prompt: 'x' } as unknown as SeedanceRequestBody, 'n8n-seedance:test', 0);
	}],
	['POST /v2/assets/create', async function () {
		return await createAsset.call(this, { url: 'https://example.invalid/a.png', type: 'image' }, 0);
	}],
	['POST /v2/uploads', async function () {
		const binary = { data: png.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } as IBinaryData;
		return await uploadBinaryMedia.call(this, { itemIndex: 0, binary, size: png.length, type: { mimeType: 'image/png', extension: 'png' } });
	}],
];

describe('a redirect away from the Base URL', () => {
	it.each(calls)('stops %s before the key reaches the other host, naming that host', async (_call, call) => {
		const { error } = await run(call);
		expect(error?.message).toMatch(
			new RegExp(`^The Base URL redirected (GET|POST) /v2/\\S+ to another host, ${elsewhere.host.replace(/\./g, '\\.')}: the request was stopped and the API key was not sent there$`),
		);
		expect(elsewhere.requests).toEqual([]);
		// Refused at once: a redirect is not a fault that a retry would cure.
		expect(baseUrl.requests).toHaveLength(1);
		expect(baseUrl.requests[0].headers['x-api-key']).toBe(KEY);
	});

	it.each([301, 303, 307, 308])('is refused for a %i as for a 302', async (status) => {
		redirect.status = status;
		const { error } = await run(async function () {
			return await fetchAccount.call(this, 0);
		});
		expect(error?.message).toContain(`to another host, ${elsewhere.host}`);
		expect(elsewhere.requests).toEqual([]);
	});

	it('is refused for another port or scheme of the same host name', async () => {
		for (const to of ['http://127.0.0.1:1/v2/me', 'https://127.0.0.1/v2/me']) {
			redirect.to = () => to;
			const { error } = await run(async function () {
				return await fetchAccount.call(this, 0);
			});
			expect(error?.message).toContain(`to another host, ${new URL(to).host}`);
		}
	});
});

describe('a redirect within the Base URL', () => {
	const answerSchema = z.object({ ok: z.boolean() });
	/** The Base URL moves /old/... to /v2/... (with the status given), and answers there. */
	let moved = 307;
	const sameOrigin = new StandInHost('127.0.0.1', (request, response) => {
		request.resume();
		const url = request.url ?? '/';
		if (url.startsWith('/loop')) {
			response.writeHead(302, { location: '/loop' });
			response.end();
		} else if (url.startsWith('/old/')) {
			response.writeHead(moved, { location: url.replace('/old/', '/v2/') });
			response.end();
		} else {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		}
	});
	beforeAll(async () => await sameOrigin.start());
	afterAll(async () => await sameOrigin.close());
	beforeEach(() => {
		sameOrigin.requests.length = 0;
		moved = 307;
	});

	async function send(request: Partial<ApiRequest<{ ok: boolean }>>) {
		let answer: unknown;
		const result = await runInNode({ apiKey: KEY, baseUrl: sameOrigin.origin }, async function (this: IExecuteFunctions) {
			answer = await apiRequest(this, { method: 'GET', path: '/old/thing', answer: answerSchema, ...request });
			return [{ json: {} }];
		});
		return { answer, error: result.error };
	}

	it('is followed, with the key, keeping the method and query of a 307', async () => {
		const { answer, error } = await send({ method: 'POST', body: { a: 1 }, qs: { limit: 5 } });
		expect(error).toBeUndefined();
		expect(answer).toEqual({ ok: true });
		expect(sameOrigin.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /old/thing?limit=5', 'POST /v2/thing?limit=5']);
		expect(sameOrigin.requests.every((request) => request.headers['x-api-key'] === KEY)).toBe(true);
	});

	it('turns a POST into a GET for a 303, as HTTP says', async () => {
		moved = 303;
		const { answer } = await send({ method: 'POST', body: { a: 1 } });
		expect(answer).toEqual({ ok: true });
		expect(sameOrigin.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(['POST /old/thing', 'GET /v2/thing']);
	});

	it(`gives up after ${MAX_SAME_ORIGIN_REDIRECTS} hops`, async () => {
		const { error } = await send({ path: '/loop' });
		expect(error?.message).toBe(`The Base URL redirected GET /loop more than ${MAX_SAME_ORIGIN_REDIRECTS} times`);
		expect(sameOrigin.requests).toHaveLength(MAX_SAME_ORIGIN_REDIRECTS + 1);
	});
});

describe('a job list that redirects to another host while jobs are awaited', () => {
	const ids = [JOB_ID, '9b2a7c1e-0d4f-4e3a-8f6b-5c7d9e1a2b3c', 'c4e8a2f6-1b3d-4c5e-9a7f-0e2d4b6c8a1e'];
	const job = (id: string) => ({
		id,
		status: 'PROCESSING',
		model: 'seedance-2',
		progress: 10,
		result: null,
		error: null,
		creditCost: 10,
		createdAt: '2026-12-06T00:00:00.000Z',
		completedAt: null,
		expired: false,
		input: {},
	});
	/** Reads by ID are answered here; only the list (`GET /v2/jobs?…`) is sent elsewhere. */
	const listRedirecting = new StandInHost('127.0.0.1', (request, response) => {
		request.resume();
		const url = request.url ?? '/';
		const id = /^\/v2\/jobs\/([^/?]+)$/.exec(url)?.[1];
		if (id) {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify(job(id)));
			return;
		}
		response.writeHead(302, { location: `${elsewhere.origin}${url}` });
		response.end();
	});
	beforeAll(async () => await listRedirecting.start());
	afterAll(async () => await listRedirecting.close());

	it('fails the poll naming the host, rather than quietly reading by ID: the key is not sent there', async () => {
		let read: unknown;
		const result = await runInNode({ apiKey: KEY, baseUrl: listRedirecting.origin }, async function (this: IExecuteFunctions) {
			const open = ids.map((id, index) => submitted(index, id, null, job(id) as unknown as ApiframeJob));
			read = await readJobs.call(this, open, { concurrency: 3 });
			return [{ json: {} }];
		});
		expect(read).toBeUndefined();
		expect(result.error?.message).toContain(`to another host, ${elsewhere.host}`);
		expect(result.error?.message).toContain('the API key was not sent there');
		expect(listRedirecting.requests.map((request) => request.url.split('?')[0])).toEqual(['/v2/jobs']);
		expect(elsewhere.requests).toEqual([]);
	});
});
