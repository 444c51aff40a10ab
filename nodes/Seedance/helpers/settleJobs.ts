import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { downloadJobFiles, type DownloadSettings } from './binaryData';
import { mapWithConcurrency } from './concurrency';
import { describe, errorOutput, jobFailedError, toNodeError } from './errors';
import { jobToOutput } from './jobOutput';
import { waitForJobs, type WaitSettings } from './polling';
import { summarizeBatch, type TrackedJob } from './trackedJob';

export interface SettleSettings {
	wait: WaitSettings | false;
	download: DownloadSettings | false;
	downloadConcurrency: number;
}

/** Waits for the jobs (when asked), marks failed ones, and downloads the finished videos. */
export async function settleJobs(
	this: IExecuteFunctions,
	tracked: TrackedJob[],
	settings: SettleSettings,
): Promise<void> {
	if (settings.wait) await waitForJobs.call(this, tracked, settings.wait);

	for (const entry of tracked) {
		const job = entry.job;
		if (entry.error || !job || (job.status !== 'FAILED' && job.status !== 'CANCELLED')) continue;
		entry.error = jobFailedError(this.getNode(), job, entry.itemIndex);
	}

	const download = settings.download;
	if (!download) return;
	const completed = tracked.filter((entry) => !entry.error && entry.job?.status === 'COMPLETED');
	await mapWithConcurrency(completed, settings.downloadConcurrency, async (entry) => {
		try {
			entry.binary = await downloadJobFiles.call(this, entry.job!, entry.itemIndex, download);
		} catch (error) {
			if (download.signal?.aborted) throw toNodeError(this.getNode(), error, entry.itemIndex);
			entry.error = error as Error;
		}
	});
}

/**
 * One output item per input item, in input order. Without "Continue On Fail" the first failed item
 * fails the node, and its error lists every job of the run so none is lost.
 */
export function toOutputItems(
	this: IExecuteFunctions,
	tracked: TrackedJob[],
	extraJson: (entry: TrackedJob) => IDataObject = () => ({}),
): INodeExecutionData[] {
	const ordered = [...tracked].sort((a, b) => a.itemIndex - b.itemIndex);
	const failed = ordered.find((entry) => entry.error);
	if (failed && !this.continueOnFail()) {
		const error = failed.error as Error & { description?: string | null };
		error.description = describe([error.description ?? undefined, summarizeBatch(ordered)]);
		throw error;
	}
	return ordered.map((entry) => {
		const json: IDataObject = entry.job
			? { ...jobToOutput(entry.job), ...extraJson(entry) }
			: { ...extraJson(entry) };
		if (entry.error) {
			const failure = errorOutput(entry.error as Error & { context?: IDataObject });
			Object.assign(json, failure, { jobId: failure.jobId ?? entry.jobId ?? null });
		}
		const item: INodeExecutionData = { json, pairedItem: { item: entry.itemIndex } };
		if (entry.binary && !entry.error) item.binary = entry.binary;
		return item;
	});
}
