import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { WAIT_LIMITS } from '../actions/common.descriptions';
import type { SettleSettings } from './settleJobs';

export function clamp(value: unknown, limits: { default: number; min: number; max: number }): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) return limits.default;
	return Math.min(limits.max, Math.max(limits.min, number));
}

function propertyName(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() ? value.trim() : fallback;
}

/**
 * Reads the waiting and download settings. They apply to the whole run (all items are polled
 * together), so they are read from the first item.
 */
export function readSettleSettings(this: IExecuteFunctions): SettleSettings & { concurrency: number } {
	const wait = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const download = this.getNodeParameter('downloadVideo', 0, true) as boolean;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const signal = this.getExecutionCancelSignal?.();
	const concurrency = Math.round(clamp(options.concurrency, WAIT_LIMITS.concurrency));
	return {
		concurrency,
		wait: wait
			? {
					pollIntervalMs: clamp(options.pollInterval, WAIT_LIMITS.pollIntervalSeconds) * 1000,
					timeoutMs: clamp(options.timeout, WAIT_LIMITS.timeoutSeconds) * 1000,
					concurrency,
					signal,
				}
			: false,
		download: download
			? {
					videoProperty: propertyName(options.binaryPropertyName, 'data'),
					lastFrameProperty: propertyName(options.lastFrameBinaryPropertyName, 'lastFrame'),
					signal,
				}
			: false,
		downloadConcurrency: Math.min(concurrency, 4),
	};
}
