// A scripted OpenAI-compatible chat model on 127.0.0.1: it answers /v1/chat/completions from a
// script of turns and records every request. The script sees the whole request, so a turn can
// build on a tool's result. n8n's AI Agent started from a Manual Trigger asks without streaming and
// never lists models (measured on 2.41.1); a streamed request is refused rather than half-answered.

import http from 'node:http';

export const STUB_MODEL = 'stub-gpt';

/**
 * One answer of the model: a call of a tool, or a final text.
 * @typedef {{ kind: 'tool', name: string, args: Record<string, unknown>, id: string } | { kind: 'text', text: string }} Turn
 */
/** @typedef {{ messages: Array<{ role: string, content: unknown }>, tools?: Array<{ function?: { name?: string } }>, stream?: boolean }} ChatRequest */

/**
 * A tool call, in OpenAI's wire format.
 * @param {string} name @param {Record<string, unknown>} args @param {string} id
 * @returns {Turn}
 */
export const toolCall = (name, args, id) => ({ kind: 'tool', name, args, id });
/**
 * A final text answer.
 * @param {string} text
 * @returns {Turn}
 */
export const answer = (text) => ({ kind: 'text', text });

/** @param {Turn} turn @param {number} n */
function completion(turn, n) {
	const message =
		turn.kind === 'tool'
			? {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: turn.id, type: 'function', function: { name: turn.name, arguments: JSON.stringify(turn.args) } }],
				}
			: { role: 'assistant', content: turn.text };
	return {
		id: `chatcmpl-stub-${n}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: STUB_MODEL,
		choices: [{ index: 0, message, logprobs: null, finish_reason: turn.kind === 'tool' ? 'tool_calls' : 'stop' }],
		usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
	};
}

/**
 * Starts the stub. `script(request, turnIndex)` returns the turn (toolCall or answer) for each
 * chat request in order; `requests` keeps every chat request body as received.
 */
export async function startOpenAiStub(/** @type {(request: ChatRequest, turn: number) => Turn} */ script) {
	/** @type {ChatRequest[]} */
	const requests = [];
	/** @type {string[]} */
	const calls = [];
	const server = http.createServer(async (req, res) => {
		let raw = '';
		for await (const chunk of req) raw += chunk;
		calls.push(`${req.method} ${req.url}`);
		const path = new URL(req.url ?? '/', 'http://stub').pathname.replace(/^\/v1/, '');
		const send = (/** @type {number} */ status, /** @type {unknown} */ body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.method !== 'POST' || path !== '/chat/completions') {
			return send(404, { error: { message: `stub has no ${req.method} ${req.url}`, type: 'invalid_request_error' } });
		}
		/** @type {ChatRequest} */
		let body;
		try {
			body = JSON.parse(raw);
		} catch {
			return send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
		}
		if (body.stream) return send(400, { error: { message: 'stub does not stream', type: 'invalid_request_error' } });
		const index = requests.length;
		requests.push(body);
		let turn;
		try {
			turn = script(body, index);
		} catch (error) {
			return send(500, { error: { message: `stub script: ${/** @type {Error} */ (error).message}`, type: 'server_error' } });
		}
		send(200, completion(turn, index));
	});
	await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		/** Every request as `METHOD url`, chat or not. */
		calls,
		stop: () => /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve()))),
	};
}
