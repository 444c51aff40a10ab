import type { IncomingMessage } from 'node:http';

export const JSON_BODY_LIMIT = 1024 * 1024;

export type JsonBody = { ok: true; value: unknown; raw: Buffer } | { ok: false; status: 400 | 413; error: string; details?: Record<string, string[]> };

/** Reads at most `limit` bytes; the rest is drained, never buffered, so the client can still read the answer. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<{ raw: Buffer; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		let ended = false;
		req.on('data', (chunk: Buffer) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			ended = true;
			resolve({ raw: Buffer.concat(chunks), tooLarge });
		});
		req.on('error', reject);
		req.on('close', () => {
			if (!ended) reject(new Error('Request aborted by the client'));
		});
	});
}

export async function readJsonBody(req: IncomingMessage, limit = JSON_BODY_LIMIT): Promise<JsonBody> {
	const { raw, tooLarge } = await readRawBody(req, limit);
	if (tooLarge) return { ok: false, status: 413, error: `Request body exceeds ${limit} bytes` };
	const text = raw.toString('utf8');
	if (text.trim() === '') return { ok: false, status: 400, error: 'Invalid JSON body', details: { body: ['Request body is empty'] } };
	try {
		return { ok: true, value: JSON.parse(text), raw };
	} catch (err) {
		return { ok: false, status: 400, error: 'Invalid JSON body', details: { body: [(err as Error).message] } };
	}
}
