import type { IBinaryKeyData } from 'n8n-workflow';

import type { ApiframeJob } from './interfaces';

/** One input item's job as it moves through submit, wait and download. */
export interface TrackedJob {
	itemIndex: number;
	jobId?: string;
	job?: ApiframeJob;
	idempotencyKey?: string;
	/** Set once the item has failed; carries the jobId when one exists. */
	error?: Error;
	binary?: IBinaryKeyData;
}

/** A line per item, put into every error so that no submitted job is ever lost from sight. */
export function summarizeBatch(tracked: TrackedJob[]): string | undefined {
	const submitted = tracked.filter((entry) => entry.jobId);
	if (submitted.length === 0) return undefined;
	const lines = tracked.map((entry) => {
		const item = `item ${entry.itemIndex}`;
		if (!entry.jobId) return `${item}: not submitted${entry.error ? ` (${entry.error.message})` : ''}`;
		const status = entry.job?.status ?? 'SUBMITTED';
		return `${item}: job ${entry.jobId} ${status}${entry.error ? ` (${entry.error.message})` : ''}`;
	});
	return `Jobs of this run (pick any of them up later with Job → Get):\n${lines.join('\n')}`;
}
