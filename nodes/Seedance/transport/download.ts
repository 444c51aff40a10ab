import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { header, REQUEST_TIMEOUT_MS, type ApiContext, type FullResponse } from './index';

/** The stream type n8n's binary helpers accept (named without importing node:stream). */
export type BinaryStream = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

export interface DownloadedStream {
	stream: BinaryStream;
	contentType?: string;
	contentLength?: number;
}

/**
 * Opens a result file (video or last frame) as a stream. Result URLs point at Apiframe's CDN, a
 * public host, so the API key is deliberately not sent with them.
 */
export async function openDownload(
	this: ApiContext,
	url: string,
	signal?: AbortSignal,
): Promise<{ ok: true; file: DownloadedStream } | { ok: false; status: number }> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	if (signal) options.abortSignal = signal;
	const response = (await this.helpers.httpRequest(options)) as FullResponse;
	if (response.statusCode < 200 || response.statusCode >= 300) {
		(response.body as BinaryStream | undefined)?.resume?.();
		return { ok: false, status: response.statusCode };
	}
	const length = Number(header(response.headers, 'content-length'));
	return {
		ok: true,
		file: {
			stream: response.body as BinaryStream,
			contentType: header(response.headers, 'content-type'),
			contentLength: Number.isFinite(length) ? length : undefined,
		},
	};
}
