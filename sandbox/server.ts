import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { SandboxContext } from './context';
import { applyFault } from './http/apply-fault';
import type { Fault } from './state/faults';
import { authenticate } from './http/auth';
import { sendError } from './http/respond';
import { isAdminPath, matchRoute } from './routes/table';

function logLine(ctx: SandboxContext, req: IncomingMessage, path: string, status: string, started: number, requestId: string): void {
	if (ctx.options.log) process.stdout.write(`${new Date().toISOString()} ${req.method} ${path} ${status} ${Date.now() - started}ms ${requestId}\n`);
}

async function handle(ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const started = Date.now();
	const requestId = randomUUID();
	res.setHeader('x-request-id', requestId);
	const method = req.method ?? 'GET';
	const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
	const admin = isAdminPath(url.pathname);
	const record = admin ? null : ctx.recorder.record(requestId, req, url);

	let logged = false;
	const finish = (status: string) => {
		if (logged) return;
		logged = true;
		if (record && status !== 'dropped') record.status = res.statusCode;
		logLine(ctx, req, url.pathname, status, started, requestId);
	};
	res.on('finish', () => finish(String(res.statusCode)));
	res.on('close', () => finish('dropped'));

	let fault: Fault | null = null;
	if (!admin) {
		fault = ctx.faults.take(method, url.pathname);
		if (fault && (await applyFault(fault, ctx, req, res))) return;
	}

	const match = matchRoute(method, url.pathname);
	if (match.kind === 'notFound') {
		req.resume();
		return sendError(res, 404, 'Not found');
	}
	if (match.kind === 'methodNotAllowed') {
		req.resume();
		return sendError(res, 405, 'Method not allowed', {}, { Allow: match.allow.join(', ') });
	}

	let apiKey: string | null = null;
	if (match.route.auth) {
		const auth = authenticate(req, ctx.options);
		if (!auth.ok) {
			req.resume();
			return sendError(res, auth.status, auth.error);
		}
		apiKey = auth.apiKey;
		const retryAfter = match.route.admin ? null : ctx.rateLimiter.take(apiKey, ctx.options.rateLimitPerSecond, Date.now());
		if (retryAfter !== null) {
			req.resume();
			return sendError(res, 429, 'Rate limit exceeded', {}, { 'Retry-After': String(retryAfter) });
		}
	}
	await match.route.handler({ ctx, req, res, url, params: match.params, apiKey, record, fault });
}

export function createSandboxServer(ctx: SandboxContext): Server {
	return createServer((req, res) => {
		handle(ctx, req, res).catch((err: Error) => {
			if (res.headersSent) res.destroy();
			else sendError(res, 500, `Internal sandbox error: ${err.message}`);
		});
	});
}
