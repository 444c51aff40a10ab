// A scripted OpenAI-compatible chat model on 127.0.0.1: it answers /v1/chat/completions (plain or
// streamed as server-sent events) from a script of turns, records every request, and lists one
// model on /v1/models. The script sees the whole request, so a turn can build on a tool's result.

import http from 'node:http';

export const STUB_MODEL = 'stub-gpt';

/** A tool call, in OpenAI's wire format. */
export const toolCall = (name, args, id) => ({ kind: 'tool', name, args, id });
/** A final text answer. */
export const answer = (text) => ({ kind: 'text', text });

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

/** The same answer as server-sent chunks: role, then the content or the tool call, then the finish. */
function chunks(turn, n) {
	const base = { id: `chatcmpl-stub-${n}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: STUB_MODEL };
	const chunk = (delta, finish = null) => ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
	const body =
		turn.kind === 'tool'
			? chunk({
					tool_calls: [
						{ index: 0, id: turn.id, type: 'function', function: { name: turn.name, arguments: JSON.stringify(turn.args) } },
					],
				})
			: chunk({ content: turn.text });
	return [
		chunk({ role: 'assistant', content: turn.kind === 'tool' ? null : '' }),
		body,
		chunk({}, turn.kind === 'tool' ? 'tool_calls' : 'stop'),
		{ ...base, choices: [], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } },
	];
}

/**
 * Starts the stub. `script(request, turnIndex)` returns the turn (toolCall or answer) for each
 * chat request in order; `requests` keeps every request body as received.
 */
export async function startOpenAiStub(script) {
	const requests = [];
	const server = http.createServer(async (req, res) => {
		let raw = '';
		for await (const chunk of req) raw += chunk;
		const path = new URL(req.url, 'http://stub').pathname.replace(/^\/v1/, '');
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.method === 'GET' && path === '/models') {
			return send(200, { object: 'list', data: [{ id: STUB_MODEL, object: 'model', created: 0, owned_by: 'stub' }] });
		}
		if (req.method !== 'POST' || path !== '/chat/completions') {
			return send(404, { error: { message: `stub has no ${req.method} ${req.url}`, type: 'invalid_request_error' } });
		}
		let body;
		try {
			body = JSON.parse(raw);
		} catch {
			return send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
		}
		const index = requests.length;
		requests.push(body);
		let turn;
		try {
			turn = script(body, index);
		} catch (error) {
			return send(500, { error: { message: `stub script: ${error.message}`, type: 'server_error' } });
		}
		if (!body.stream) return send(200, completion(turn, index));
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		for (const chunk of chunks(turn, index)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		res.end('data: [DONE]\n\n');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		stop: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
