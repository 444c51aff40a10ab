import { parseIncomingMessage } from '@n8n/backend-network';
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestMethods,
	INode,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WebhookSetupMethodNames,
	WebhookType,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, isNodeClassInstance, jsonParse, sanitizeXmlName } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

import { buildAdditionalData } from './additional-data';
import { HARNESS_WORKFLOW_ID } from './binary';
import { HarnessCredentialsHelper } from './credentials-helper';
import { type BinaryDataMode, ensureN8nCore } from './env';
import { HarnessNodeTypes } from './node-types';
import { type NodeUnderTestOptions, buildNodeUnderTest, loadStaticData, persistStaticData } from './workflow';

export interface WebhookHarnessOptions extends NodeUnderTestOptions {
	/** Which entry of `description.webhooks` is called. Defaults to `default`. */
	webhookName?: WebhookType;
	/** `webhook` (production URL, default) or `manual` (test URL, `isTest`). */
	mode?: WorkflowExecuteMode;
	/**
	 * n8n has no execution id yet when it calls `webhook()` for a new execution; set one to
	 * mimic a resumed (waiting) execution.
	 */
	executionId?: string;
	/** Defaults to `filesystem`. */
	binaryDataMode?: BinaryDataMode;
	/** The node's webhookId (first segment of its production URL). Random by default. */
	webhookId?: string;
}

export interface WebhookRequestSpec {
	/** Defaults to `POST`. */
	method?: string;
	/** Defaults to the node's production webhook path. */
	path?: string;
	query?: Record<string, string | string[]>;
	headers?: Record<string, string>;
	/**
	 * Raw bytes are sent as-is; a string as UTF-8; anything else as JSON (with
	 * `content-type: application/json` unless a content-type header is given).
	 */
	body?: Buffer | string | unknown;
}

/** What the harness saw on the server side of one delivery. */
export interface WebhookCall {
	request: {
		method: string;
		path: string;
		headers: http.IncomingHttpHeaders;
		query: Record<string, unknown>;
		/** As parsed for the node (`getBodyData()`); undefined for unparsed content types, as in n8n. */
		body: unknown;
		/** `req.rawBody` after the node ran (n8n only reads it for parsable content types or on `readRawBody()`). */
		rawBody?: Buffer;
	};
	/** What `webhook()` returned. */
	webhookResult?: IWebhookResponseData;
	/** What `webhook()` threw (or why the body could not be parsed; the node is not called then). */
	error?: Error;
	/** True if the node wrote the HTTP response itself (via `getResponseObject()`). */
	respondedByNode: boolean;
	/** Workflow static data as persisted after this call. */
	staticData: IDataObject;
}

export interface WebhookResponse extends WebhookCall {
	response: {
		statusCode: number;
		headers: http.IncomingHttpHeaders;
		body: Buffer;
		text(): string;
		json<T = unknown>(): T;
	};
}

/** `req` as n8n's webhook server hands it to WebhookContext: an IncomingMessage plus express/n8n fields. */
type WebhookRequestObject = http.IncomingMessage & {
	body?: unknown;
	rawBody?: Buffer;
	_body?: boolean;
	query: Record<string, unknown>;
	params: Record<string, string>;
	path: string;
	contentType?: string;
	encoding?: BufferEncoding;
	readRawBody(): Promise<void>;
};

/** The part of an express Response that n8n nodes use, on a real ServerResponse. */
type ExpressLikeResponse = http.ServerResponse & {
	status(code: number): ExpressLikeResponse;
	sendStatus(code: number): ExpressLikeResponse;
	set(field: string | Record<string, string>, value?: string | string[]): ExpressLikeResponse;
	header(field: string | Record<string, string>, value?: string | string[]): ExpressLikeResponse;
	get(field: string): string | number | string[] | undefined;
	type(contentType: string): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
	send(body?: unknown): ExpressLikeResponse;
};

// xml2js (an n8n-workflow dependency) ships no types; only the parser is needed.
const { Parser: XmlParser } = require('xml2js') as {
	Parser: new (options: object) => { parseStringPromise(xml: string): Promise<unknown> };
};

// The options of n8n's body parser.
const xmlParser = new XmlParser({
	async: true,
	normalize: true,
	normalizeTags: true,
	explicitArray: false,
	tagNameProcessors: [sanitizeXmlName],
	attrNameProcessors: [sanitizeXmlName],
});

function isParsableContentType(contentType: string | undefined) {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

async function readStream(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

/** What n8n's `rawBodyReader` middleware + `parseRequestBody` do to a webhook request. */
async function prepareRequest(incoming: http.IncomingMessage): Promise<WebhookRequestObject> {
	const req = incoming as WebhookRequestObject;
	const url = new URL(req.url ?? '/', 'http://localhost');
	req.path = url.pathname;
	req.params = {};
	const query: Record<string, unknown> = {};
	for (const key of new Set(url.searchParams.keys())) {
		const values = url.searchParams.getAll(key);
		query[key] = values.length > 1 ? values : values[0];
	}
	req.query = query;

	parseIncomingMessage(req);
	req.readRawBody = async () => {
		if (req.rawBody) return;
		let stream: Readable = req;
		const encoding = req.headers['content-encoding'];
		if (encoding === 'gzip') stream = req.pipe(createGunzip());
		else if (encoding === 'deflate') stream = req.pipe(createInflate());
		req.rawBody = await readStream(stream);
		req._body = true;
	};

	// Webhook nodes of version > 1 get their body parsed only for these types; multipart
	// (n8n parses it with formidable into files) is not supported by the harness.
	if (isParsableContentType(req.contentType)) {
		await req.readRawBody();
		const { rawBody, contentType } = req;
		const encoding = (req.encoding ?? 'utf-8') as BufferEncoding;
		if (rawBody?.length) {
			if (contentType === 'application/json') req.body = jsonParse(rawBody.toString(encoding));
			else if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml'))
				req.body = await xmlParser.parseStringPromise(rawBody.toString(encoding));
			else if (contentType === 'application/x-www-form-urlencoded')
				req.body = parseQueryString(rawBody.toString(encoding), undefined, undefined, { maxKeys: 1000 });
			else if (contentType === 'text/plain') req.body = rawBody.toString(encoding);
		}
	}
	return req;
}

function toExpressResponse(res: http.ServerResponse): ExpressLikeResponse {
	const r = res as ExpressLikeResponse;
	const setHeaders = (field: string | Record<string, string>, value?: string | string[]) => {
		if (typeof field === 'string') r.setHeader(field, value ?? '');
		else for (const [key, val] of Object.entries(field)) r.setHeader(key, val);
		return r;
	};
	r.status = (code) => {
		r.statusCode = code;
		return r;
	};
	r.set = setHeaders;
	r.header = setHeaders;
	r.get = (field) => r.getHeader(field);
	r.type = (contentType) => {
		r.setHeader('Content-Type', contentType.includes('/') ? contentType : `application/${contentType}`);
		return r;
	};
	r.json = (body) => {
		if (!r.hasHeader('Content-Type')) r.setHeader('Content-Type', 'application/json; charset=utf-8');
		r.end(JSON.stringify(body));
		return r;
	};
	r.send = (body) => {
		if (body === undefined || body === null) {
			r.end();
		} else if (Buffer.isBuffer(body)) {
			if (!r.hasHeader('Content-Type')) r.setHeader('Content-Type', 'application/octet-stream');
			r.end(body);
		} else if (typeof body === 'string') {
			if (!r.hasHeader('Content-Type')) r.setHeader('Content-Type', 'text/html; charset=utf-8');
			r.end(body);
		} else {
			r.json(body);
		}
		return r;
	};
	r.sendStatus = (code) => {
		r.statusCode = code;
		r.setHeader('Content-Type', 'text/plain; charset=utf-8');
		r.end(http.STATUS_CODES[code] ?? String(code));
		return r;
	};
	return r;
}

/**
 * A trigger node behind a real node:http server. Each incoming request is prepared like
 * n8n's webhook server does (raw body, parsed body, query), handed with an express-like
 * response to n8n-core's WebhookContext, and the node's `webhook()` is called. Static
 * data persists between deliveries like a saved workflow's. If the node does not answer
 * itself, the harness answers the way n8n does in `onReceived` mode.
 */
export class WebhookHarness {
	/** Workflow static data, persisted (JSON) between deliveries. */
	readonly staticData: IDataObject;

	/** Every delivery the server handled, in arrival order. */
	readonly calls: WebhookCall[] = [];

	readonly node: INode;

	readonly credentialsHelper: HarnessCredentialsHelper;

	private server?: http.Server;

	private baseUrl = '';

	private readonly pending = new Map<number, Promise<WebhookCall>>();

	private readonly nodeTypes: HarnessNodeTypes;

	constructor(private readonly options: WebhookHarnessOptions) {
		this.staticData = options.staticData ?? {};
		this.node = buildNodeUnderTest(options, { webhookId: options.webhookId ?? randomUUID() });
		this.nodeTypes = new HarnessNodeTypes().add(options.typeName, options.nodeType);
		this.credentialsHelper = new HarnessCredentialsHelper(options.credentialTypes, options.credentials);
	}

	async start(): Promise<this> {
		await ensureN8nCore(this.options.binaryDataMode ?? 'filesystem');
		this.server = http.createServer((req, res) => {
			const call = this.handle(req, res);
			this.pending.set(req.socket.remotePort ?? -1, call);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.baseUrl = `http://127.0.0.1:${port}`;
		return this;
	}

	/** The node's production webhook URL on the harness server (what `getNodeWebhookUrl` returns). */
	get url(): string {
		return this.webhookUrl();
	}

	webhookUrl(name: WebhookType = this.webhookName): string {
		const url = this.createWebhookContext().getNodeWebhookUrl(name);
		if (!url) throw new Error(`Node type has no webhook named "${name}"`);
		return url;
	}

	/** Sends a real HTTP request to the server and returns what the node did and what was sent back. */
	async request(spec: WebhookRequestSpec = {}): Promise<WebhookResponse> {
		if (!this.server) throw new Error('WebhookHarness is not started');
		const target = new URL(spec.path ?? this.url, this.baseUrl);
		for (const [key, value] of Object.entries(spec.query ?? {})) {
			for (const v of Array.isArray(value) ? value : [value]) target.searchParams.append(key, v);
		}
		const headers: Record<string, string> = { ...(spec.headers ?? {}) };
		const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
		let body: Buffer | undefined;
		if (Buffer.isBuffer(spec.body)) body = spec.body;
		else if (typeof spec.body === 'string') body = Buffer.from(spec.body, 'utf-8');
		else if (spec.body !== undefined) {
			body = Buffer.from(JSON.stringify(spec.body), 'utf-8');
			if (!hasContentType) headers['content-type'] = 'application/json';
		}
		if (body) headers['content-length'] = String(body.length);

		let localPort = -1;
		const response = await new Promise<WebhookResponse['response']>((resolve, reject) => {
			// A fresh connection per request: the server tells deliveries apart by client port,
			// and no keep-alive socket outlives the test.
			const req = http.request(target, { method: spec.method ?? 'POST', headers, agent: false }, (res) => {
				readStream(res)
					.then((buffer) =>
						resolve({
							statusCode: res.statusCode ?? 0,
							headers: res.headers,
							body: buffer,
							text: () => buffer.toString('utf-8'),
							json: <T>() => JSON.parse(buffer.toString('utf-8')) as T,
						}),
					)
					.catch(reject);
			});
			req.on('socket', (socket) => socket.once('connect', () => (localPort = socket.localPort ?? -1)));
			req.on('error', reject);
			req.end(body);
		});
		const call = await this.pending.get(localPort);
		this.pending.delete(localPort);
		if (!call) throw new Error('The harness server did not record this request');
		return { ...call, response };
	}

	/**
	 * Runs one of the node's `webhookMethods` (`checkExists`/`create`/`delete`) with n8n-core's
	 * HookContext, as n8n does when a workflow is activated/deactivated.
	 */
	async runWebhookMethod(method: WebhookSetupMethodNames, activation: 'activate' | 'update' | 'init' | 'manual' = 'activate') {
		const type = this.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		const fn = type.webhookMethods?.[this.webhookName]?.[method];
		if (!fn) return undefined;
		const workflow = this.createWorkflow();
		const additionalData = this.createAdditionalData();
		const context = new HookContext(
			workflow,
			this.node,
			additionalData,
			this.mode,
			activation,
			this.createWebhookData(workflow, additionalData, 'POST'),
		);
		await workflow.expression.acquireIsolate();
		try {
			return await fn.call(context);
		} finally {
			await workflow.expression.releaseIsolate();
			persistStaticData(workflow, this.staticData);
		}
	}

	async close(): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		server.closeAllConnections();
		await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
	}

	private get webhookName(): WebhookType {
		return this.options.webhookName ?? 'default';
	}

	private get mode(): WorkflowExecuteMode {
		return this.options.mode ?? 'webhook';
	}

	private get webhookDescription(): IWebhookDescription {
		const type = this.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
		const description = type.description.webhooks?.find((w) => w.name === this.webhookName);
		if (!description) throw new Error(`Node type has no webhook named "${this.webhookName}"`);
		return description;
	}

	private createWorkflow() {
		return new Workflow({
			id: HARNESS_WORKFLOW_ID,
			name: 'Node test harness',
			nodes: [{ ...this.node, parameters: structuredClone(this.node.parameters) }],
			connections: {},
			nodeTypes: this.nodeTypes,
			active: true,
			settings: { executionOrder: 'v1' },
			staticData: loadStaticData(this.staticData),
		});
	}

	private createAdditionalData(): IWorkflowExecuteAdditionalData {
		const additionalData = buildAdditionalData({
			credentialsHelper: this.credentialsHelper,
			executionId: this.options.executionId,
		});
		if (this.baseUrl) {
			// So `getNodeWebhookUrl()` points at this server.
			additionalData.webhookBaseUrl = `${this.baseUrl}/webhook`;
			additionalData.webhookTestBaseUrl = `${this.baseUrl}/webhook-test`;
			additionalData.webhookWaitingBaseUrl = `${this.baseUrl}/webhook-waiting`;
		}
		return additionalData;
	}

	private createWebhookData(
		workflow: Workflow,
		additionalData: IWorkflowExecuteAdditionalData,
		httpMethod: IHttpRequestMethods,
	): IWebhookData {
		const description = this.webhookDescription;
		const path = workflow.expression.getSimpleParameterValue(this.node, description.path, 'internal', {});
		return {
			httpMethod,
			node: this.node.name,
			path: String(path ?? ''),
			webhookDescription: description,
			workflowId: HARNESS_WORKFLOW_ID,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: this.mode === 'manual',
		};
	}

	private createWebhookContext() {
		const workflow = this.createWorkflow();
		const data = this.createAdditionalData();
		return new WebhookContext(
			workflow,
			this.node,
			data,
			this.mode,
			this.createWebhookData(workflow, data, 'POST'),
			[],
			null,
		);
	}

	private async handle(incoming: http.IncomingMessage, serverResponse: http.ServerResponse): Promise<WebhookCall> {
		const res = toExpressResponse(serverResponse);
		let req: WebhookRequestObject | undefined;
		let webhookResult: IWebhookResponseData | undefined;
		let error: Error | undefined;
		const workflow = this.createWorkflow();
		const additionalData = this.createAdditionalData();

		let bodyUnparsable = false;
		try {
			req = await prepareRequest(incoming);
		} catch (e) {
			error = e as Error;
			bodyUnparsable = true;
		}

		if (req) {
			try {
				additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
				additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
				const context = new WebhookContext(
					workflow,
					workflow.getNode(this.node.name)!,
					additionalData,
					this.mode,
					this.createWebhookData(workflow, additionalData, (req.method ?? 'POST') as IHttpRequestMethods),
					[],
					null,
				);
				const type = this.nodeTypes.getByNameAndVersion(this.node.type, this.node.typeVersion);
				if (!type.webhook) throw new Error('Node does not have any webhooks defined');
				await workflow.expression.acquireIsolate();
				try {
					webhookResult = isNodeClassInstance(type)
						? await type.webhook(context)
						: await type.webhook.call(context);
				} finally {
					await workflow.expression.releaseIsolate();
				}
			} catch (e) {
				error = e as Error;
			}
		}
		persistStaticData(workflow, this.staticData);

		const respondedByNode = res.headersSent || res.writableEnded;
		if (bodyUnparsable) {
			// n8n's body parser answers 422 before the node is called.
			res.status(422).json({ code: 422, message: 'Failed to parse request body', hint: error?.message });
		} else if (!respondedByNode) {
			this.respondLikeN8n(res, workflow, webhookResult, error);
		}

		const seenRequest = incoming as Partial<WebhookRequestObject>;
		const call: WebhookCall = {
			request: {
				method: incoming.method ?? '',
				path: seenRequest.path ?? incoming.url ?? '',
				headers: incoming.headers,
				query: seenRequest.query ?? {},
				body: seenRequest.body,
				rawBody: seenRequest.rawBody,
			},
			webhookResult,
			error,
			respondedByNode,
			staticData: structuredClone(this.staticData),
		};
		this.calls.push(call);
		return call;
	}

	/** n8n's answer when the node did not write the response (webhook-helpers, `onReceived`). */
	private respondLikeN8n(
		res: ExpressLikeResponse,
		workflow: Workflow,
		result: IWebhookResponseData | undefined,
		error: Error | undefined,
	) {
		if (error) {
			res.status(500).json({ code: 500, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		if (result?.noWebhookResponse === true) {
			// n8n leaves the response to the node here; it never came, so end it visibly.
			res.status(500).json({ code: 500, message: 'Harness: node set noWebhookResponse but did not respond' });
			return;
		}
		const node = workflow.getNode(this.node.name)!;
		const responseCode = Number(
			workflow.expression.getSimpleParameterValue(node, this.webhookDescription.responseCode as string, this.mode, {}, undefined, 200),
		);
		if (result?.workflowData === undefined) {
			res.status(responseCode).json(result?.webhookResponse !== undefined ? result.webhookResponse : { message: 'Webhook call received' });
			return;
		}
		const body = result.webhookResponse !== undefined ? result.webhookResponse : { message: 'Workflow was started' };
		if (typeof body === 'string') res.status(responseCode).send(body);
		else res.status(responseCode).json(body);
	}
}

/** Starts a WebhookHarness (a real HTTP server around the trigger node). Close it in afterEach/afterAll. */
export async function startWebhook(options: WebhookHarnessOptions): Promise<WebhookHarness> {
	return await new WebhookHarness(options).start();
}

/**
 * One delivery to a trigger node: starts a server, sends one real request, closes.
 * Pass the same `staticData` object to successive calls to keep the node's static data.
 */
export async function runWebhook(options: WebhookHarnessOptions & { request?: WebhookRequestSpec }): Promise<WebhookResponse> {
	const harness = await startWebhook(options);
	try {
		return await harness.request(options.request);
	} finally {
		await harness.close();
	}
}
