import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context';
import type { Fault } from '../state/faults';
import { sendJson } from './respond';

const DEFAULT_MESSAGES: Record<number, string> = {
	400: 'Bad request',
	401: 'Invalid API key',
	402: 'Insufficient credits',
	403: 'API key is inactive',
	404: 'Not found',
	409: 'Conflict',
	429: 'Rate limit exceeded',
	500: 'Internal server error',
	502: 'Upstream provider error',
	503: 'Service temporarily unavailable',
	504: 'Upstream timeout',
};

function defaultBody(status: number, ctx: SandboxContext): Record<string, unknown> {
	const error = DEFAULT_MESSAGES[status] ?? 'Error';
	if (status === 402) return { error, creditsRequired: ctx.ledger.balance + 1, creditsAvailable: ctx.ledger.balance };
	return { error };
}

/**
 * Lets the answer's first `limit` body bytes through, then resets the connection, as a network
 * that fails in the middle of a download would. Later writes are swallowed.
 */
function resetAfterBytes(res: ServerResponse, limit: number): void {
	let sent = 0;
	let cut = false;
	const write = res.write.bind(res) as (chunk: Buffer, callback?: () => void) => boolean;
	res.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
		if (cut) return false;
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8') : Buffer.from(chunk);
		if (sent + bytes.length < limit) {
			sent += bytes.length;
			return write(bytes);
		}
		cut = true;
		write(bytes.subarray(0, limit - sent), () => res.socket?.resetAndDestroy());
		return false;
	}) as ServerResponse['write'];
}

/** Returns true when the fault answered (or dropped) the request, false to handle it normally. */
export async function applyFault(fault: Fault, ctx: SandboxContext, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
	if (fault.delayMs) await ctx.sleep(fault.delayMs);
	if (fault.drop) {
		req.socket.destroy();
		return true;
	}
	if (fault.dropAfterBytes !== undefined) {
		resetAfterBytes(res, fault.dropAfterBytes);
		return false;
	}
	if (fault.status === undefined) return false;
	req.resume();
	const headers: Record<string, string> = {};
	const retryAfter = fault.retryAfter ?? (fault.status === 429 ? 1 : undefined);
	if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
	sendJson(res, fault.status, fault.body ?? defaultBody(fault.status, ctx), headers);
	return true;
}
