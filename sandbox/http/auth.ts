import type { IncomingMessage } from 'node:http';

export type AuthResult = { ok: true; apiKey: string } | { ok: false; status: 401 | 403; error: string };

export interface KnownKeys {
	apiKey: string;
	inactiveApiKey: string;
}

/** The key travels as `X-API-Key`, or as `Authorization: Bearer <key>`. */
export function presentedKey(req: IncomingMessage): string | null {
	const header = req.headers['x-api-key'];
	const direct = Array.isArray(header) ? header[0] : header;
	if (direct && direct.trim() !== '') return direct.trim();
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match ? match[1] : null;
}

export function authenticate(req: IncomingMessage, keys: KnownKeys): AuthResult {
	const key = presentedKey(req);
	if (key === null) return { ok: false, status: 401, error: 'Missing API key: send it in the X-API-Key header' };
	if (key === keys.apiKey) return { ok: true, apiKey: key };
	if (key === keys.inactiveApiKey) return { ok: false, status: 403, error: 'API key is inactive' };
	return { ok: false, status: 401, error: 'Invalid API key' };
}
