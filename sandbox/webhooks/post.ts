import { request, type Dispatcher } from 'undici';

export interface PostResult {
	statusCode: number | null;
	error: string | null;
	body: string;
}

/** One POST; never throws, a network failure comes back as `error`. */
export async function postWebhook(
	dispatcher: Dispatcher,
	url: string,
	rawBody: string,
	headers: Record<string, string>,
	timeoutMs: number,
	signal: AbortSignal,
): Promise<PostResult> {
	try {
		const res = await request(url, { method: 'POST', headers, body: rawBody, dispatcher, signal, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
		const body = await res.body.text();
		return { statusCode: res.statusCode, error: null, body };
	} catch (err) {
		const cause = (err as { cause?: { code?: string } }).cause;
		return { statusCode: null, error: [(err as Error).message, cause?.code].filter(Boolean).join(': '), body: '' };
	}
}

export function isSuccess(statusCode: number | null): boolean {
	return statusCode !== null && statusCode >= 200 && statusCode < 300;
}

/** Network errors, 5xx, 408, 409 and 429 are worth another try; other answers are final. */
export function isRetryable(statusCode: number | null): boolean {
	return statusCode === null || statusCode >= 500 || statusCode === 408 || statusCode === 409 || statusCode === 429;
}
