// @ts-check
// An HTTP client for one running n8n (2.x or 1.x): the editor's REST API with the login cookie,
// the public API (/api/v1) with an API key, and the calls the tests and the demo make with them
// (owner, credentials, workflows, activation, runs, executions, binary data). It does not start
// or stop anything; process.mjs does.
//
//   const client = new N8nClient({ baseUrl: 'http://127.0.0.1:5678', major: 2 });
//   await client.login({ email, password });
//   const wf = await client.importWorkflow(json);
//   const ex = await client.waitForExecution(await client.runWorkflow(wf.id));

import { setTimeout as sleep } from 'node:timers/promises';
import { requireFromN8n } from './install.mjs';

/** How long an execution's data may lag behind its final status (n8n 1.x on SQLite). */
const DATA_AFTER_STATUS_MS = 5000;

/** @typedef {import('./install.mjs').N8nPaths} N8nPaths */

/**
 * An n8n user account. n8n wants a password of 8-64 characters with a digit and an uppercase letter.
 * @typedef {{ email: string, firstName: string, lastName: string, password: string }} Owner
 */

/**
 * A node in a workflow, with the fields scripts read or write; n8n's other fields pass through.
 * @typedef {{ name: string, type: string, parameters: Record<string, any>, webhookId?: string,
 *   credentials?: Record<string, { id: string, name: string }>, [key: string]: any }} WorkflowNode
 */

/**
 * A saved workflow as n8n answers it, with the fields scripts read; the rest passes through.
 * @typedef {{ id: string, name: string, versionId: string, active: boolean, activeVersionId?: string | null,
 *   nodes: WorkflowNode[], connections: object, settings?: object, pinData?: object, [key: string]: any }} Workflow
 */

/** An HTTP answer outside 2xx; `status` and the parsed `body` let callers tell cases apart. */
export class HttpError extends Error {
	/**
	 * @param {string} method
	 * @param {string} url
	 * @param {number} status
	 * @param {unknown} body
	 */
	constructor(method, url, status, body) {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		super(`${method} ${url} -> ${status}: ${String(text).slice(0, 500)}`);
		this.status = status;
		this.body = body;
	}
}

export class N8nClient {
	/** The `n8n-auth=...` cookie once logged in. @type {string | null} */
	cookie = null;
	/** The public API key once created. @type {string | null} */
	apiKey = null;

	/**
	 * @param {object} opts
	 * @param {string} opts.baseUrl   e.g. http://127.0.0.1:5678 (no trailing slash)
	 * @param {number} opts.major     n8n's major version: several calls differ between 1.x and 2.x
	 * @param {N8nPaths} [opts.install] the installed n8n, whose own `flatted` decodes REST executions
	 */
	constructor({ baseUrl, major, install }) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.major = major;
		this.install = install;
	}

	/**
	 * @param {string} method
	 * @param {string} url
	 * @param {{ body?: unknown, headers?: Record<string, string> }} [init]
	 * @returns {Promise<Response>}
	 */
	async #send(method, url, { body, headers = {} } = {}) {
		/** @type {RequestInit & { headers: Record<string, string> }} */
		const init = { method, headers: { ...headers } };
		if (body !== undefined) {
			init.headers['content-type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		return fetch(url, init);
	}

	/**
	 * Sends a request and parses its JSON answer; throws HttpError outside 2xx.
	 * @param {string} method
	 * @param {string} url
	 * @param {{ body?: unknown, headers?: Record<string, string> }} [init]
	 * @returns {Promise<{ res: Response, body: any }>}
	 */
	async #request(method, url, init) {
		const res = await this.#send(method, url, init);
		const text = await res.text();
		/** @type {any} */
		let parsed = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			// Not JSON: keep the text for the error message.
		}
		if (!res.ok) throw new HttpError(method, url, res.status, parsed);
		return { res, body: parsed };
	}

	/** @returns {Record<string, string>} */
	#cookieHeader() {
		return this.cookie ? { cookie: this.cookie } : {};
	}

	/** @param {Response} res */
	#takeCookie(res) {
		for (const c of res.headers.getSetCookie()) {
			const m = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
	}

	// ---- HTTP -------------------------------------------------------------------------------

	/**
	 * Editor REST call with the login cookie; returns the unwrapped `data` (or the whole body).
	 * @param {string} method
	 * @param {string} p path under /rest, e.g. '/workflows'
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async rest(method, p, body) {
		const r = await this.#request(method, `${this.baseUrl}/rest${p}`, { body, headers: this.#cookieHeader() });
		return r.body && typeof r.body === 'object' && 'data' in r.body ? r.body.data : r.body;
	}

	/**
	 * Editor REST call whose answer is returned unread, whatever its status (for streaming a download).
	 * @param {string} method
	 * @param {string} p
	 * @param {unknown} [body]
	 */
	async restResponse(method, p, body) {
		return this.#send(method, `${this.baseUrl}/rest${p}`, { body, headers: this.#cookieHeader() });
	}

	/**
	 * Public API call (/api/v1) with the API key; returns the parsed body.
	 * @param {string} method
	 * @param {string} p path under /api/v1
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async api(method, p, body) {
		if (!this.apiKey) throw new Error('no API key; call createApiKey() first');
		const r = await this.#request(method, `${this.baseUrl}/api/v1${p}`, { body, headers: { 'X-N8N-API-KEY': this.apiKey } });
		return r.body;
	}

	// ---- Auth -------------------------------------------------------------------------------

	/**
	 * Creates the owner of a fresh n8n and keeps its login cookie.
	 * @param {Owner} owner
	 */
	async setupOwner(owner) {
		const r = await this.#request('POST', `${this.baseUrl}/rest/owner/setup`, { body: owner });
		// The setup response already carries the auth cookie.
		this.#takeCookie(r.res);
		if (!this.cookie) await this.login(owner);
	}

	/** @param {{ email: string, password: string }} account */
	async login({ email, password }) {
		const r = await this.#request('POST', `${this.baseUrl}/rest/login`, {
			body: { emailOrLdapLoginId: email, password },
		});
		this.#takeCookie(r.res);
		if (!this.cookie) throw new Error('login returned no n8n-auth cookie');
	}

	/**
	 * Creates a public API key with every scope the instance offers and keeps it for api().
	 * @param {string} [label]
	 */
	async createApiKey(label = 'e2e') {
		const scopes = await this.rest('GET', '/api-keys/scopes').catch((err) => {
			if (err.status === 404) return null;
			throw err;
		});
		/** @type {{ label: string, expiresAt: null, scopes?: string[] }} */
		const body = { label, expiresAt: null };
		if (Array.isArray(scopes)) body.scopes = scopes;
		const data = await this.rest('POST', '/api-keys', body);
		this.apiKey = data.rawApiKey ?? data.apiKey;
		if (!this.apiKey) throw new Error(`no key in /rest/api-keys answer: ${JSON.stringify(data)}`);
		return this.apiKey;
	}

	// ---- Types ------------------------------------------------------------------------------

	/** @returns {Promise<any[]>} every node type n8n loaded, as the editor gets them */
	async nodeTypes() {
		return (await this.#request('GET', `${this.baseUrl}/types/nodes.json`, { headers: this.#cookieHeader() })).body;
	}

	/** @returns {Promise<any[]>} */
	async credentialTypes() {
		return (await this.#request('GET', `${this.baseUrl}/types/credentials.json`, { headers: this.#cookieHeader() })).body;
	}

	// ---- Credentials ------------------------------------------------------------------------

	/**
	 * @param {string} type
	 * @param {string} name
	 * @param {Record<string, unknown>} data
	 * @returns {Promise<{ id: string, name: string, type: string, [key: string]: any }>}
	 */
	async createCredential(type, name, data) {
		return this.rest('POST', '/credentials', { name, type, data });
	}

	/**
	 * Runs the credential type's `test` request. Uses the public API endpoint where it exists
	 * (2.x) and otherwise the editor's flow: fetch the credential (secrets come back as
	 * placeholders, which n8n swaps back for the stored values) and post it to /credentials/test.
	 * @param {string} id
	 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
	 */
	async testCredential(id) {
		if (this.major >= 2 && this.apiKey) {
			try {
				return await this.api('POST', `/credentials/${id}/test`, {});
			} catch (err) {
				if (err.status !== 404 && err.status !== 405) throw err;
			}
		}
		const cred = await this.rest('GET', `/credentials/${id}?includeData=true`);
		return this.rest('POST', '/credentials/test', {
			credentials: { id: cred.id, name: cred.name, type: cred.type, data: cred.data },
		});
	}

	// ---- Workflows --------------------------------------------------------------------------

	/**
	 * Creates a workflow through REST, inactive and under a new id.
	 * @param {{ [key: string]: any }} json workflow JSON as exported or written by hand
	 * @returns {Promise<Workflow>}
	 */
	async importWorkflow(json) {
		const { id: _id, active: _active, ...rest } = json;
		return this.rest('POST', '/workflows', { settings: {}, ...rest, active: false });
	}

	/**
	 * Creates a workflow through the public API (only name, nodes, connections, settings allowed).
	 * @param {{ name: string, nodes: any[], connections: object, settings?: object }} json
	 * @returns {Promise<Workflow>}
	 */
	async createWorkflowViaApi({ name, nodes, connections, settings = {} }) {
		return this.api('POST', '/workflows', { name, nodes, connections, settings });
	}

	/**
	 * @param {string} id
	 * @returns {Promise<Workflow>}
	 */
	async getWorkflow(id) {
		return this.rest('GET', `/workflows/${id}`);
	}

	/**
	 * Makes the workflow's triggers live and waits until they are. Both 2.41 and 1.123 have
	 * POST /rest/workflows/:id/activate {versionId}; in 1.x it answers after the webhooks are
	 * registered, in 2.x publishing goes through an outbox and the answer comes first, so poll
	 * publication-status. With `webhookPath`, also poll the webhook itself (OPTIONS with an
	 * Origin header is answered 404 until it is registered, and starts no execution).
	 * @param {string} id
	 * @param {{ webhookPath?: string, method?: string, timeoutMs?: number }} [options]
	 * @returns {Promise<Workflow>}
	 */
	async activate(id, { webhookPath, method = 'POST', timeoutMs = 30000 } = {}) {
		const wf = await this.getWorkflow(id);
		try {
			await this.rest('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
		} catch (err) {
			// Older 1.x releases only know the editor's PATCH with active=true.
			if (err.status !== 404 || this.major >= 2) throw err;
			await this.rest('PATCH', `/workflows/${id}`, { ...wf, active: true });
		}
		if (this.major >= 2) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const st = await this.rest('GET', `/workflows/${id}/publication-status`);
				/** @type {{ status: string }[]} */
				const triggers = st?.triggers ?? [];
				if (st?.status === 'published' && triggers.every((t) => t.status === 'activated')) break;
				if (triggers.some((t) => t.status === 'error' || t.status === 'failed')) {
					throw new Error(`publishing workflow ${id} failed: ${JSON.stringify(st)}`);
				}
				if (Date.now() > deadline) throw new Error(`workflow ${id} not published: ${JSON.stringify(st)}`);
				await sleep(100);
			}
		}
		if (webhookPath) await this.waitForWebhook(webhookPath, { method, timeoutMs });
		return this.getWorkflow(id);
	}

	/** @param {string} id */
	async deactivate(id) {
		try {
			return await this.rest('POST', `/workflows/${id}/deactivate`, {});
		} catch (err) {
			if (err.status !== 404 || this.major >= 2) throw err;
			const wf = await this.getWorkflow(id);
			return this.rest('PATCH', `/workflows/${id}`, { ...wf, active: false });
		}
	}

	/** @param {string} webhookPath production path, e.g. '<webhookId>/seedance' */
	webhookUrl(webhookPath) {
		return `${this.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
	}

	/**
	 * @param {string} webhookPath
	 * @param {{ method?: string, timeoutMs?: number }} [options]
	 */
	async waitForWebhook(webhookPath, { method = 'POST', timeoutMs = 30000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const res = await fetch(this.webhookUrl(webhookPath), {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
			});
			await res.arrayBuffer();
			const allowed = (res.headers.get('access-control-allow-methods') || '').split(/,\s*/);
			if (res.status < 400 && allowed.includes(method)) return;
			if (Date.now() > deadline) throw new Error(`webhook ${method} ${webhookPath} not live (last ${res.status})`);
			await sleep(100);
		}
	}

	// ---- Runs and executions ----------------------------------------------------------------

	/**
	 * Starts a manual run (as the editor's "Execute workflow" button does); returns the execution id.
	 * `triggerName` picks the trigger node to start from (default: the first Manual Trigger).
	 * @param {string} id
	 * @param {{ triggerName?: string }} [options]
	 */
	async runWorkflow(id, { triggerName } = {}) {
		const wf = await this.getWorkflow(id);
		const trigger =
			triggerName ?? wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name ?? wf.nodes[0]?.name;
		let body;
		if (this.major >= 2) {
			body = { triggerToStartFrom: { name: trigger } };
		} else {
			// 1.x wants the full workflow in the body (it runs what the editor shows, saved or not).
			body = {
				workflowData: {
					id: wf.id,
					name: wf.name,
					nodes: wf.nodes,
					connections: wf.connections,
					settings: wf.settings,
					pinData: wf.pinData ?? {},
					active: wf.active,
					versionId: wf.versionId,
				},
				triggerToStartFrom: { name: trigger },
			};
		}
		const data = await this.rest('POST', `/workflows/${id}/run`, body);
		if (!data?.executionId) throw new Error(`run did not start: ${JSON.stringify(data)}`);
		return String(data.executionId);
	}

	/**
	 * Polls the public API until the execution has finished; returns it with its data decoded.
	 * With `acceptWaiting`, an execution parked by a Wait node (status 'waiting') also counts.
	 * @param {string} executionId
	 * @param {{ timeoutMs?: number, acceptWaiting?: boolean }} [options]
	 * @returns {Promise<any>}
	 */
	async waitForExecution(executionId, { timeoutMs = 60000, acceptWaiting = false } = {}) {
		const deadline = Date.now() + timeoutMs;
		let dataDeadline = Date.now() + DATA_AFTER_STATUS_MS;
		for (;;) {
			let ex = null;
			try {
				ex = await this.api('GET', `/executions/${executionId}?includeData=true`);
			} catch (err) {
				// The row may not be visible for a moment after the run starts.
				if (err.status !== 404) throw err;
			}
			if (ex?.status === 'waiting' && acceptWaiting) return ex;
			if (ex && ex.status && !['new', 'running', 'waiting'].includes(ex.status) && (ex.finished || ex.stoppedAt)) {
				// n8n 1.x on SQLite without a read pool writes an ending execution's status and its data
				// in two statements: for a moment the status is final and the data still the start's.
				const { resultData } = ex.data ?? {};
				const ended = !['error', 'success'].includes(ex.status) || resultData?.error || resultData?.lastNodeExecuted;
				if (ended || Date.now() > dataDeadline) return ex;
			} else {
				dataDeadline = Date.now() + DATA_AFTER_STATUS_MS;
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} still ${ex?.status} after ${timeoutMs} ms`);
			await sleep(150);
		}
	}

	/**
	 * Executions of a workflow, newest first (public API; no data).
	 * @param {string} workflowId
	 * @param {{ limit?: number, status?: string }} [options]
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(workflowId, { limit = 100, status } = {}) {
		const q = new URLSearchParams({ workflowId: String(workflowId), limit: String(limit) });
		if (status) q.set('status', status);
		const r = await this.api('GET', `/executions?${q}`);
		return r.data;
	}

	/**
	 * Raw execution through REST, with n8n's flatted `data` decoded with n8n's own copy of flatted.
	 * @param {string} executionId
	 * @returns {Promise<any>}
	 */
	async getExecutionRest(executionId) {
		const ex = await this.rest('GET', `/executions/${executionId}`);
		if (typeof ex?.data === 'string') {
			if (!this.install) throw new Error('decoding a REST execution needs the n8n install (new N8nClient({ install }))');
			ex.data = requireFromN8n(this.install, 'flatted').parse(ex.data);
		}
		return ex;
	}

	/**
	 * Bytes of a binary item (the `{ id: 'filesystem-v2:...' }` reference from an execution).
	 * @param {string | { id?: string }} binaryRef
	 */
	async downloadBinary(binaryRef) {
		const id = typeof binaryRef === 'string' ? binaryRef : binaryRef.id;
		if (!id) throw new Error(`binary reference has no id (memory mode?): ${JSON.stringify(binaryRef).slice(0, 200)}`);
		const q = new URLSearchParams({ id, action: 'download' });
		const res = await this.restResponse('GET', `/binary-data?${q}`);
		if (!res.ok) throw new HttpError('GET', `/rest/binary-data?${q}`, res.status, await res.text());
		return Buffer.from(await res.arrayBuffer());
	}
}
