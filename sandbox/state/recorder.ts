import type { IncomingMessage } from 'node:http';

export interface RecordedRequest {
	requestId: string;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** Lower-case names; the API key is redacted. */
	headers: Record<string, string | string[]>;
	/** Parsed JSON body, when the request had one. */
	body?: unknown;
	/** Status of the answer; absent while pending or when the socket was dropped. */
	status?: number;
	time: string;
}

/** Keeps a long-running CLI sandbox from growing without bound. */
export const MAX_RECORDED_REQUESTS = 5000;
export const REDACTED = '[redacted]';

function redactHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		if (name === 'x-api-key') out[name] = REDACTED;
		else if (name === 'authorization') {
			const scheme = /^(\S+)\s+\S/.exec(String(value));
			out[name] = scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
		}
		else out[name] = value;
	}
	return out;
}

function queryOf(url: URL): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of url.searchParams) {
		const prev = out[key];
		out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
	}
	return out;
}

const UUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** `GET /v2/jobs/{id}` for `GET /v2/jobs/3f…`: the key requests are counted under. */
export function routeOf(method: string, path: string): string {
	return `${method} ${path.replace(UUID_IN_PATH, '{id}')}`;
}

export class RequestRecorder {
	/** Cleared in place so a reference held by a test stays live. */
	readonly requests: RecordedRequest[] = [];
	/**
	 * Every request since the last clear, by route: unlike `requests`, never trimmed, so a
	 * thousand-row run's traffic can be counted in full.
	 */
	readonly counts = new Map<string, number>();

	record(requestId: string, req: IncomingMessage, url: URL): RecordedRequest {
		const entry: RecordedRequest = {
			requestId,
			method: req.method ?? 'GET',
			path: url.pathname,
			query: queryOf(url),
			headers: redactHeaders(req.headers),
			time: new Date().toISOString(),
		};
		this.requests.push(entry);
		const route = routeOf(entry.method, entry.path);
		this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
		if (this.requests.length > MAX_RECORDED_REQUESTS) this.requests.splice(0, this.requests.length - MAX_RECORDED_REQUESTS);
		return entry;
	}

	clear(): void {
		this.requests.length = 0;
		this.counts.clear();
	}
}
