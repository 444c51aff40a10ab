import type { ServerResponse } from 'node:http';
import type { ValidationDetails } from '../validation/details';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent || res.destroyed) return;
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
	sendJson(res, status, { error, ...extra }, headers);
}

export function sendValidationError(res: ServerResponse, details: ValidationDetails, error = 'Validation failed'): void {
	sendJson(res, 400, { error, details });
}

export function sendNoContent(res: ServerResponse): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(204);
	res.end();
}
