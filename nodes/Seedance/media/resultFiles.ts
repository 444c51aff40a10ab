import { sleep, type IBinaryKeyData, type IExecuteFunctions, type IWebhookFunctions } from 'n8n-workflow';

import { cancellableSleep, throwIfCancelled } from '../base/cancellation';
import { operationError, toNodeError } from '../base/errors';
import { openDownload, type BinaryStream } from '../transport/download';
import { extractResultUrls } from './resultUrls';
import type { ApiframeJob } from '../transport/responses';
import { nextRetryDelay, type AttemptOutcome } from '../transport/retryPolicy';
import type { DownloadPlan } from './downloadLimits';

type BinaryContext = IExecuteFunctions | IWebhookFunctions;

export interface DownloadSettings extends DownloadPlan {
	signal?: AbortSignal;
}

/** How often the deadline is looked at while a file downloads. */
const DEADLINE_CHECK_MS = 250;

/** One file's download, its deadline and the request and stream to stop when it passes. */
class FileDownload {
	private readonly deadlinePassed = new AbortController();

	/**
	 * Stops the request at the deadline or when the execution is cancelled. The request listens to
	 * this signal alone, so that the run's signal holds no listener per download.
	 */
	readonly signal: AbortSignal;

	private stream: BinaryStream | undefined;

	private finished = false;

	constructor(
		readonly deadline: number,
		cancel: AbortSignal | undefined,
	) {
		this.signal = cancel ? AbortSignal.any([this.deadlinePassed.signal, cancel]) : this.deadlinePassed.signal;
	}

	get overdue(): boolean {
		return Date.now() >= this.deadline;
	}

	track(stream: BinaryStream): void {
		this.stream = stream;
	}

	/** Stops the request and the stream once the deadline passes, however slowly bytes arrive. */
	async watch(): Promise<void> {
		while (!this.finished && !this.overdue) {
			await sleep(Math.max(1, Math.min(DEADLINE_CHECK_MS, this.deadline - Date.now())));
		}
		if (this.finished) return;
		this.deadlinePassed.abort();
		this.stream?.destroy(new Error('download deadline passed'));
	}

	finish(): void {
		this.finished = true;
	}
}

/**
 * The stream as n8n stores it: every chunk counted against the size cap and checked against the
 * deadline, so that a file too large is never stored whole and a trickle cannot outlast its time.
 */
function bounded(stream: BinaryStream, check: (bytes: number) => void): BinaryStream {
	async function* chunks() {
		let bytes = 0;
		for await (const chunk of stream) {
			bytes += (chunk as Buffer).length;
			check(bytes);
			yield chunk as Buffer;
		}
	}
	// Readable.from, reached through the stream n8n gave us: node:stream is not an import a verified
	// community node may use.
	const readableClass = Object.getPrototypeOf(stream).constructor as { from(parts: AsyncIterable<Buffer>): BinaryStream };
	return readableClass.from(chunks());
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
 * unreachable CDN is waited out as long as an unreachable API, but never past the file's deadline;
 * a file over the size cap is refused at once.
 */
async function downloadFile(
	this: BinaryContext,
	job: ApiframeJob,
	itemIndex: number,
	url: string,
	kind: 'video' | 'image',
	settings: DownloadSettings,
) {
	const { signal } = settings;
	const what = kind === 'video' ? 'video' : 'last frame image';
	const deadline = Date.now() + settings.deadlineMs;
	const context = { itemIndex, jobId: job.id };
	const tooLarge = (bytes: number) =>
		operationError(
			this.getNode(),
			`The ${what} of Seedance job ${job.id} is larger than ${settings.maxBytes} bytes (Options › Max Download Size), so it was not stored`,
			`The job completed; its ${what} (${bytes} bytes or more) is at ${url}. Raise Max Download Size to download it.`,
			context,
		);
	const tooSlow = (attempts: number, lastFailure?: string) =>
		operationError(
			this.getNode(),
			`The ${what} of Seedance job ${job.id} did not download within ${settings.deadlineMs / 1000} seconds (Options › Download Deadline; ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`,
			`The job completed; its ${what} is at ${url}, but ${lastFailure ? `the host kept failing (last: ${lastFailure})` : 'the host sent it too slowly'}. Run Job → Get with this job ID to try the download again, or raise Download Deadline.`,
			context,
		);
	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(signal);
		let failure: string;
		let outcome: AttemptOutcome;
		const download = new FileDownload(deadline, signal);
		void download.watch();
		try {
			const opened = await openDownload.call(this, url, download.signal);
			if (opened.ok) {
				download.track(opened.file.stream);
				const { maxBytes } = settings;
				if (maxBytes !== null && (opened.file.contentLength ?? 0) > maxBytes) {
					opened.file.stream.destroy();
					throw tooLarge(opened.file.contentLength!);
				}
				const fallbackMime = kind === 'video' ? 'video/mp4' : 'image/png';
				const mimeType = mimeTypeOf(opened.file.contentType, kind, fallbackMime);
				const suffix = kind === 'video' ? '' : '-last-frame';
				const fileName = `seedance-${job.id}${suffix}.${extensionFor(mimeType, kind === 'video' ? 'mp4' : 'png')}`;
				const stream = bounded(opened.file.stream, (bytes) => {
					if (maxBytes !== null && bytes > maxBytes) throw tooLarge(bytes);
					if (download.overdue) throw tooSlow(attempt);
				});
				return await this.helpers.prepareBinaryData(stream, fileName, mimeType);
			}
			if (opened.status === 404 || opened.status === 410) {
				throw operationError(
					this.getNode(),
					`The ${what} of Seedance job ${job.id} is no longer available (HTTP ${opened.status})`,
					job.expired
						? "Apiframe has purged this job's files (the job is marked expired). Download results soon after they complete."
						: `The result URL answered ${opened.status}: ${url}`,
					context,
				);
			}
			failure = `HTTP ${opened.status}`;
			outcome = { status: opened.status };
		} catch (error) {
			throwIfCancelled(signal);
			if ((error as { context?: { jobId?: string } }).context?.jobId) throw toNodeError(this.getNode(), error, itemIndex);
			if (download.overdue) throw tooSlow(attempt);
			failure = (error as Error).message;
			outcome = { networkError: true };
		} finally {
			download.finish();
		}
		const delay = nextRetryDelay(attempt, outcome, true);
		if (delay !== undefined && Date.now() + delay >= deadline) throw tooSlow(attempt, failure);
		if (delay === undefined) {
			throw operationError(
				this.getNode(),
				`Could not download the ${what} of Seedance job ${job.id} (${attempt} ${attempt === 1 ? 'attempt' : 'attempts'}): ${failure}`,
				`The job completed; its ${what} is at ${url}. Run Job → Get with this job ID to try the download again.`,
				context,
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
	binary[settings.videoProperty] = await downloadFile.call(this, job, itemIndex, videoUrl, 'video', settings);
	if (lastFrameUrl) {
		binary[settings.lastFrameProperty] = await downloadFile.call(this, job, itemIndex, lastFrameUrl, 'image', settings);
	}
	return binary;
}
