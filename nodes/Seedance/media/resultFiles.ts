import type { IBinaryKeyData, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { cancellableSleep, throwIfCancelled } from '../base/cancellation';
import { operationError, toNodeError } from '../base/errors';
import { openDownload } from '../transport/download';
import { extractResultUrls } from './resultUrls';
import type { ApiframeJob } from '../transport/responses';
import { nextRetryDelay, type AttemptOutcome } from '../transport/retryPolicy';
import type { BinaryProperties } from './binaryProperties';

type BinaryContext = IExecuteFunctions | IWebhookFunctions;

export interface DownloadSettings extends BinaryProperties {
	signal?: AbortSignal;
}

function extensionFor(mimeType: string, fallback: string): string {
	const known: Record<string, string> = {
		'video/mp4': 'mp4',
		'video/quicktime': 'mov',
		'video/webm': 'webm',
		'image/png': 'png',
		'image/jpeg': 'jpg',
		'image/webp': 'webp',
	};
	return known[mimeType] ?? fallback;
}

function mimeTypeOf(contentType: string | undefined, expectedKind: 'video' | 'image', fallback: string): string {
	const mimeType = contentType?.split(';')[0].trim().toLowerCase();
	return mimeType && mimeType.startsWith(`${expectedKind}/`) ? mimeType : fallback;
}

/**
 * Streams one result file into n8n's binary data: with n8n's filesystem or S3 binary mode the
 * bytes go straight to storage and are never held whole in memory. A download is a read, so it is
 * retried as API reads are: a connection reset halfway through starts the file again, and an
 * unreachable CDN is waited out as long as an unreachable API.
 */
async function downloadFile(
	this: BinaryContext,
	job: ApiframeJob,
	itemIndex: number,
	url: string,
	kind: 'video' | 'image',
	signal?: AbortSignal,
) {
	const what = kind === 'video' ? 'video' : 'last frame image';
	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(signal);
		let failure: string;
		let outcome: AttemptOutcome;
		try {
			const opened = await openDownload.call(this, url, signal);
			if (opened.ok) {
				const fallbackMime = kind === 'video' ? 'video/mp4' : 'image/png';
				const mimeType = mimeTypeOf(opened.file.contentType, kind, fallbackMime);
				const suffix = kind === 'video' ? '' : '-last-frame';
				const fileName = `seedance-${job.id}${suffix}.${extensionFor(mimeType, kind === 'video' ? 'mp4' : 'png')}`;
				return await this.helpers.prepareBinaryData(opened.file.stream, fileName, mimeType);
			}
			if (opened.status === 404 || opened.status === 410) {
				throw operationError(
					this.getNode(),
					`The ${what} of Seedance job ${job.id} is no longer available (HTTP ${opened.status})`,
					job.expired
						? "Apiframe has purged this job's files (the job is marked expired). Download results soon after they complete."
						: `The result URL answered ${opened.status}: ${url}`,
					{ itemIndex, jobId: job.id },
				);
			}
			failure = `HTTP ${opened.status}`;
			outcome = { status: opened.status };
		} catch (error) {
			throwIfCancelled(signal);
			if ((error as { context?: { jobId?: string } }).context?.jobId) throw toNodeError(this.getNode(), error, itemIndex);
			failure = (error as Error).message;
			outcome = { networkError: true };
		}
		const delay = nextRetryDelay(attempt, outcome, true);
		if (delay === undefined) {
			throw operationError(
				this.getNode(),
				`Could not download the ${what} of Seedance job ${job.id} (${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}): ${failure}`,
				`The job completed; its ${what} is at ${url}. Run Job → Get with this job ID to try the download again.`,
				{ itemIndex, jobId: job.id },
			);
		}
		await cancellableSleep(delay, signal);
	}
}

/** Downloads a completed job's video (and last frame, when there is one) as binary properties. */
export async function downloadJobFiles(
	this: BinaryContext,
	job: ApiframeJob,
	itemIndex: number,
	settings: DownloadSettings,
): Promise<IBinaryKeyData> {
	const { videoUrl, lastFrameUrl } = extractResultUrls(job.result);
	if (!videoUrl) {
		throw operationError(
			this.getNode(),
			`Seedance job ${job.id} completed but its result holds no video URL`,
			`Apiframe returned this result: ${JSON.stringify(job.result ?? null).slice(0, 500)}`,
			{ itemIndex, jobId: job.id },
		);
	}
	const binary: IBinaryKeyData = {};
	binary[settings.videoProperty] = await downloadFile.call(this, job, itemIndex, videoUrl, 'video', settings.signal);
	if (lastFrameUrl) {
		binary[settings.lastFrameProperty] = await downloadFile.call(
			this,
			job,
			itemIndex,
			lastFrameUrl,
			'image',
			settings.signal,
		);
	}
	return binary;
}
