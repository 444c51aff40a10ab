import { createHash } from 'node:crypto';

export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

interface Entry {
	bodyHash: string;
	jobId: string;
	createdAt: number;
}

/** Key order must not make two equal bodies differ. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

export function bodyHash(body: unknown): string {
	return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; jobId: string } | { kind: 'conflict'; jobId: string };

/** Keys are scoped per API key. */
export class IdempotencyStore {
	private readonly entries = new Map<string, Entry>();

	lookup(apiKey: string, key: string, hash: string, now: number): IdempotencyLookup {
		const entry = this.entries.get(`${apiKey}\u0000${key}`);
		if (!entry || now - entry.createdAt > IDEMPOTENCY_TTL_MS) return { kind: 'new' };
		return entry.bodyHash === hash ? { kind: 'replay', jobId: entry.jobId } : { kind: 'conflict', jobId: entry.jobId };
	}

	remember(apiKey: string, key: string, hash: string, jobId: string, now: number): void {
		this.entries.set(`${apiKey}\u0000${key}`, { bodyHash: hash, jobId, createdAt: now });
	}

	clear(): void {
		this.entries.clear();
	}
}
