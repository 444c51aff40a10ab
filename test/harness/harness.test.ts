import { createHash, createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	binaryFilePath,
	binaryStream,
	disposeHarness,
	getHarnessEnvironment,
	readBinary,
	runNode,
	runWebhook,
	startNode,
	startWebhook,
	testCredential,
	type WebhookHarness,
} from './index';

// ---------------------------------------------------------------------------------------
// A local API the probes talk to over real HTTP.
// ---------------------------------------------------------------------------------------

const GOOD_KEY = 'good-key';
const DOWNLOAD_SIZE = 50 * 1024 * 1024;

interface SeenRequest {
	method: string;
	url: string;
	apiKey?: string;
}

const seen: SeenRequest[] = [];
let hangRequestArrived: () => void = () => {};
let hangRequestClosed: () => void = () => {};
let flakyFailuresLeft = 0;
let apiServer: http.Server;
let baseUrl: string;

/** Deterministic bytes so the download can be verified without keeping a copy around. */
function downloadChunk(offset: number, length: number): Buffer {
	const chunk = Buffer.allocUnsafe(length);
	for (let i = 0; i < length; i++) chunk[i] = (offset + i) % 251;
	return chunk;
}

function expectedDownloadHash(size: number): string {
	const hash = createHash('sha256');
	for (let offset = 0; offset < size; offset += 1 << 20) {
		hash.update(downloadChunk(offset, Math.min(1 << 20, size - offset)));
	}
	return hash.digest('hex');
}

function startApiServer(): Promise<void> {
	apiServer = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const apiKey = req.headers['x-api-key'] as string | undefined;
		seen.push({ method: req.method ?? '', url: url.pathname + url.search, apiKey });
		const json = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};

		if (apiKey !== GOOD_KEY) return json(401, { message: 'Invalid API key' });

		if (url.pathname === '/v2/me') return json(200, { id: 'user-1' });

		if (url.pathname.startsWith('/items/')) {
			const id = decodeURIComponent(url.pathname.slice('/items/'.length));
			if (id === 'missing') return json(404, { message: `Item ${id} does not exist` });
			return json(200, { id, seenKey: apiKey });
		}

		if (url.pathname === '/flaky') {
			if (flakyFailuresLeft > 0) {
				flakyFailuresLeft--;
				return json(503, { message: 'try again' });
			}
			return json(200, { ok: true });
		}

		if (url.pathname === '/download') {
			const size = Number(url.searchParams.get('size'));
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(size) });
			let offset = 0;
			const pump = (): void => {
				while (offset < size) {
					const chunk = downloadChunk(offset, Math.min(64 * 1024, size - offset));
					offset += chunk.length;
					if (!res.write(chunk)) {
						res.once('drain', pump);
						return;
					}
				}
				res.end();
			};
			return pump();
		}

		if (url.pathname === '/hang') {
			// Never answers: only the client giving up ends this request.
			res.on('close', () => hangRequestClosed());
			hangRequestArrived();
			return;
		}

		json(404, { message: 'no route' });
	});
	return new Promise((resolve) =>
		apiServer.listen(0, '127.0.0.1', () => {
			baseUrl = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
			resolve();
		}),
	);
}

beforeAll(startApiServer);

afterAll(async () => {
	apiServer.closeAllConnections();
	await new Promise((resolve) => apiServer.close(resolve));
	await disposeHarness();
});

beforeEach(() => {
	seen.length = 0;
});

// ---------------------------------------------------------------------------------------
// Probe credential type and nodes.
// ---------------------------------------------------------------------------------------

const probeCredential: ICredentialType = {
	name: 'probeApi',
	displayName: 'Probe API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:1' },
	],
	authenticate: {
		type: 'generic',
		properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
	},
	test: {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/v2/me' },
	},
};

const credentials = () => ({ probeApi: { apiKey: GOOD_KEY, baseUrl } });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const probeAction: INodeType = {
	description: {
		displayName: 'Probe Action',
		name: 'probeAction',
		group: ['transform'],
		version: 1,
		description: 'Test probe',
		defaults: { name: 'Probe Action' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'probeApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get', value: 'get' },
					{ name: 'Download', value: 'download' },
					{ name: 'Explode', value: 'explode' },
					{ name: 'Flaky', value: 'flaky' },
					{ name: 'Hang', value: 'hang' },
					{ name: 'Spin', value: 'spin' },
				],
				default: 'get',
			},
			{ displayName: 'Item ID', name: 'itemId', type: 'string', default: '' },
			{ displayName: 'Size', name: 'size', type: 'number', default: 1024 },
		],
	},
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const { baseUrl: apiBase } = await this.getCredentials<{ baseUrl: string }>('probeApi');
		const out: INodeExecutionData[] = [];

		for (let i = 0; i < items.length; i++) {
			try {
				if (operation === 'get') {
					const id = this.getNodeParameter('itemId', i) as string;
					const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', {
						method: 'GET',
						url: `${apiBase}/items/${encodeURIComponent(id)}`,
						json: true,
					})) as IDataObject;
					out.push({ json: { ...body, executionId: this.getExecutionId() }, pairedItem: { item: i } });
				} else if (operation === 'download') {
					const size = this.getNodeParameter('size', i) as number;
					const stream = await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', {
						method: 'GET',
						url: `${apiBase}/download?size=${size}`,
						encoding: 'stream',
					});
					const binary = await this.helpers.prepareBinaryData(stream, 'video.mp4', 'video/mp4');
					out.push({ json: { size }, binary: { data: binary }, pairedItem: { item: i } });
				} else if (operation === 'explode') {
					throw new NodeOperationError(this.getNode(), 'Probe exploded', {
						itemIndex: i,
						description: 'on purpose',
					});
				} else if (operation === 'flaky') {
					const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', {
						url: `${apiBase}/flaky`,
						json: true,
					})) as IDataObject;
					out.push({ json: body, pairedItem: { item: i } });
				} else if (operation === 'hang') {
					await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', { url: `${apiBase}/hang` });
				} else if (operation === 'spin') {
					// A polling loop that only stops through the cancel signal.
					const signal = this.getExecutionCancelSignal();
					while (!signal?.aborted) await sleep(20);
					throw new NodeOperationError(this.getNode(), 'Stopped by cancellation');
				}
			} catch (error) {
				if (this.continueOnFail() && operation !== 'explode') {
					out.push({ json: { error: error.message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	},
};

const SIGNATURE_HEADER = 'x-probe-signature';

const probeTrigger: INodeType = {
	description: {
		displayName: 'Probe Trigger',
		name: 'probeTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test probe',
		defaults: { name: 'Probe Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'probeApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'probe' }],
		properties: [],
	},
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as { rawBody?: Buffer };
		const { apiKey } = await this.getCredentials<{ apiKey: string }>('probeApi');
		const expected = createHmac('sha256', apiKey).update(req.rawBody ?? Buffer.alloc(0)).digest('hex');
		if (this.getHeaderData()[SIGNATURE_HEADER] !== expected) {
			this.getResponseObject().status(401).json({ error: 'invalid signature' });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData() as { jobId: string; status: string };
		const staticData = this.getWorkflowStaticData('node');
		const delivered = (staticData.delivered as string[] | undefined) ?? [];
		if (delivered.includes(body.jobId)) return { webhookResponse: { duplicate: true } };
		staticData.delivered = [...delivered, body.jobId];

		return {
			workflowData: [[{ json: { jobId: body.jobId, status: body.status, rawLength: req.rawBody?.length } }]],
		};
	},
};

const action = (extra: Partial<Parameters<typeof runNode>[0]> = {}) =>
	({
		nodeType: probeAction,
		typeName: 'n8n-nodes-probe.probeAction',
		credentialTypes: [probeCredential],
		credentials: credentials(),
		...extra,
	}) as Parameters<typeof runNode>[0];

// ---------------------------------------------------------------------------------------
// runNode
// ---------------------------------------------------------------------------------------

describe('runNode', () => {
	test('resolves an expression parameter per item and authenticates with the credential type', async () => {
		const result = await runNode(
			action({
				parameters: { operation: 'get', itemId: '={{ $json.id }}-x' },
				inputItems: [{ json: { id: 'a' } }, { json: { id: 'b' } }],
				executionId: 'exec-42',
			}),
		);

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executionId).toBe('exec-42');
		expect(result.items.map((item) => item.json)).toEqual([
			{ id: 'a-x', seenKey: GOOD_KEY, executionId: 'exec-42' },
			{ id: 'b-x', seenKey: GOOD_KEY, executionId: 'exec-42' },
		]);
		expect(seen).toEqual([
			{ method: 'GET', url: '/items/a-x', apiKey: GOOD_KEY },
			{ method: 'GET', url: '/items/b-x', apiKey: GOOD_KEY },
		]);
	});

	test('streams a 50 MB download into filesystem binary data', async () => {
		const result = await runNode(action({ parameters: { operation: 'download', size: DOWNLOAD_SIZE } }));

		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary!.data;
		expect(binary).toMatchObject({ mimeType: 'video/mp4', fileName: 'video.mp4', bytes: DOWNLOAD_SIZE });
		// Filesystem mode: only a reference travels with the item, never the bytes.
		expect(binary.data).toBe('filesystem-v2');
		expect(binary.id).toMatch(/^filesystem-v2:workflows\/.+\/executions\/.+\/binary_data\//);

		const file = binaryFilePath(binary)!;
		expect(file.startsWith(getHarnessEnvironment().binaryDataDir)).toBe(true);
		expect(statSync(file).size).toBe(DOWNLOAD_SIZE);

		const hash = createHash('sha256');
		for await (const chunk of await binaryStream(binary)) hash.update(chunk as Buffer);
		expect(hash.digest('hex')).toBe(expectedDownloadHash(DOWNLOAD_SIZE));

		const buffer = await readBinary(binary);
		expect(buffer.length).toBe(DOWNLOAD_SIZE);
		expect(buffer.subarray(1_000_000, 1_000_010)).toEqual(downloadChunk(1_000_000, 10));
	});

	test('keeps binary data in the item in default (memory) mode', async () => {
		const result = await runNode(
			action({ parameters: { operation: 'download', size: 1000 }, binaryDataMode: 'default' }),
		);
		const binary = result.items[0].binary!.data;
		expect(binary.id).toBeUndefined();
		expect(Buffer.from(binary.data, 'base64')).toEqual(downloadChunk(0, 1000));
		expect(await readBinary(binary)).toEqual(downloadChunk(0, 1000));
		expect(binaryFilePath(binary)).toBeUndefined();
	});

	test('surfaces the real NodeApiError when the node fails', async () => {
		const result = await runNode(action({ parameters: { operation: 'get', itemId: 'missing' } }));

		expect(result.status).toBe('error');
		expect(result.items).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({ httpCode: '404' });
		expect(String(result.error!.description)).toContain('Item missing does not exist');
	});

	test('continueOnFail: the node reports the error as an item', async () => {
		const result = await runNode(
			action({
				parameters: { operation: 'get', itemId: '={{ $json.id }}' },
				inputItems: [{ json: { id: 'missing' } }, { json: { id: 'ok' } }],
				continueOnFail: true,
			}),
		);

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.error).toEqual(expect.stringContaining('could not be found'));
		expect(result.items[1].json).toMatchObject({ id: 'ok' });
	});

	test('continueOnFail: a thrown error passes the input through and is still reported', async () => {
		const off = await runNode(action({ parameters: { operation: 'explode' } }));
		expect(off.status).toBe('error');
		expect(off.error).toBeInstanceOf(NodeOperationError);
		expect(off.error).toMatchObject({ message: 'Probe exploded', description: 'on purpose' });
		expect(off.error!.context).toMatchObject({ itemIndex: 0 });

		const on = await runNode(
			action({ parameters: { operation: 'explode' }, inputItems: [{ json: { keep: 1 } }], continueOnFail: true }),
		);
		expect(on.status).toBe('success');
		expect(on.taskData?.executionStatus).toBe('error');
		expect(on.items.map((item) => item.json)).toEqual([{ keep: 1 }]);
		expect(on.error).toBeInstanceOf(NodeOperationError);
	});

	test('missing required parameters fail like in n8n (WorkflowHasIssuesError)', async () => {
		const required: INodeType = {
			...probeAction,
			description: {
				...probeAction.description,
				properties: [{ displayName: 'Prompt', name: 'prompt', type: 'string', default: '', required: true }],
			},
		};
		const result = await runNode(action({ nodeType: required }));
		expect(result.status).toBe('error');
		expect(result.error?.name).toBe('WorkflowHasIssuesError');
		expect(result.error?.message).toContain('Parameter "Prompt" is required');
	});

	test('retryOnFail is handled by n8n-core', async () => {
		flakyFailuresLeft = 1;
		const result = await runNode(
			action({ parameters: { operation: 'flaky' }, retryOnFail: { maxTries: 3, waitBetweenTries: 10 } }),
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ ok: true });
		expect(seen.filter((request) => request.url === '/flaky')).toHaveLength(2);
	});

	test('cancel() aborts an in-flight HTTP request promptly', async () => {
		const arrived = new Promise<void>((resolve) => (hangRequestArrived = resolve));
		const closed = new Promise<void>((resolve) => (hangRequestClosed = resolve));
		const running = startNode(action({ parameters: { operation: 'hang' } }));
		await arrived;

		const cancelledAt = Date.now();
		running.cancel();
		const result = await running.result;
		await closed;

		// Without the cancel the node would hang for good; the bound leaves room for a loaded machine.
		expect(Date.now() - cancelledAt).toBeLessThan(3000);
		expect(result.status).toBe('canceled');
		expect(result.cancelled).toBe(true);
		expect(result.executionId).toBe(running.executionId);
	});

	test('abortSignal cancels a node polling getExecutionCancelSignal()', async () => {
		const controller = new AbortController();
		const running = startNode(action({ parameters: { operation: 'spin' }, abortSignal: controller.signal }));
		await sleep(100);

		const cancelledAt = Date.now();
		controller.abort();
		const result = await running.result;

		expect(Date.now() - cancelledAt).toBeLessThan(2000);
		expect(result.cancelled).toBe(true);
		// n8n-core only marks the run `canceled` when the error that ended it says so.
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Stopped by cancellation');
	});
});

// ---------------------------------------------------------------------------------------
// testCredential
// ---------------------------------------------------------------------------------------

describe('testCredential', () => {
	test('OK when the test request succeeds', async () => {
		const result = await testCredential(probeCredential, { apiKey: GOOD_KEY, baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(seen).toEqual([{ method: 'GET', url: '/v2/me', apiKey: GOOD_KEY }]);
	});

	test('Error on 401', async () => {
		const result = await testCredential(probeCredential, { apiKey: 'wrong', baseUrl });
		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
		// n8n-core retries once on 401 (its token-refresh path runs for every credential type).
		expect(seen).toEqual([
			{ method: 'GET', url: '/v2/me', apiKey: 'wrong' },
			{ method: 'GET', url: '/v2/me', apiKey: 'wrong' },
		]);
	});
});

// ---------------------------------------------------------------------------------------
// Webhooks
// ---------------------------------------------------------------------------------------

describe('webhooks', () => {
	let hook: WebhookHarness;
	const sign = (body: Buffer, key = GOOD_KEY) => createHmac('sha256', key).update(body).digest('hex');

	beforeEach(async () => {
		hook = await startWebhook({
			nodeType: probeTrigger,
			typeName: 'n8n-nodes-probe.probeTrigger',
			credentialTypes: [probeCredential],
			credentials: credentials(),
		});
	});

	afterEach(async () => await hook.close());

	test('hands the exact raw body to the node and starts the workflow', async () => {
		// Unusual spacing and non-ASCII: a re-serialised body would not match the signature.
		const raw = Buffer.from('{ "jobId":"job-1",  "status": "succeeded", "note": "ü ✓" }', 'utf-8');
		const result = await hook.request({
			headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(raw) },
			body: raw,
		});

		expect(result.request.rawBody).toEqual(raw);
		expect(result.request.body).toEqual({ jobId: 'job-1', status: 'succeeded', note: 'ü ✓' });
		expect(result.webhookResult?.workflowData).toEqual([
			[{ json: { jobId: 'job-1', status: 'succeeded', rawLength: raw.length } }],
		]);
		expect(result.response.statusCode).toBe(200);
		expect(result.response.json()).toEqual({ message: 'Workflow was started' });
		expect(new URL(hook.url).pathname).toBe(`/webhook/${hook.node.webhookId}/probe`);
	});

	test('static data persists between deliveries (dedup)', async () => {
		const body = Buffer.from(JSON.stringify({ jobId: 'job-7', status: 'succeeded' }));
		const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body) };

		const first = await hook.request({ headers, body });
		const second = await hook.request({ headers, body });

		expect(first.webhookResult?.workflowData).toBeDefined();
		expect(second.webhookResult).toEqual({ webhookResponse: { duplicate: true } });
		expect(second.response.json()).toEqual({ duplicate: true });
		expect(hook.staticData).toEqual({ 'node:Node Under Test': { delivered: ['job-7'] } });
		expect(hook.calls).toHaveLength(2);
	});

	test('a 401 the node writes to the response reaches the caller', async () => {
		const body = Buffer.from(JSON.stringify({ jobId: 'job-2', status: 'failed' }));
		const result = await hook.request({
			headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body, 'not-the-key') },
			body,
		});

		expect(result.respondedByNode).toBe(true);
		expect(result.webhookResult).toEqual({ noWebhookResponse: true });
		expect(result.response.statusCode).toBe(401);
		expect(result.response.json()).toEqual({ error: 'invalid signature' });
		expect(hook.staticData).toEqual({});
	});

	test('an unparsable JSON body is answered with 422 before the node runs', async () => {
		const raw = Buffer.from('{"jobId": ');
		const result = await hook.request({
			headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(raw) },
			body: raw,
		});
		expect(result.response.statusCode).toBe(422);
		expect(result.webhookResult).toBeUndefined();
		expect(result.request.rawBody).toEqual(raw);
	});

	test('runWebhook: one-shot deliveries sharing a static data object', async () => {
		const staticData: IDataObject = {};
		const body = Buffer.from(JSON.stringify({ jobId: 'job-9', status: 'succeeded' }));
		const deliver = async () =>
			await runWebhook({
				nodeType: probeTrigger,
				typeName: 'n8n-nodes-probe.probeTrigger',
				credentialTypes: [probeCredential],
				credentials: credentials(),
				staticData,
				request: { headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body) }, body },
			});

		expect((await deliver()).webhookResult?.workflowData).toBeDefined();
		expect((await deliver()).webhookResult).toEqual({ webhookResponse: { duplicate: true } });
		expect(staticData).toEqual({ 'node:Node Under Test': { delivered: ['job-9'] } });
	});
});
