import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SettleSettings } from '../../jobs/settle';
import { readBinaryProperties } from '../../media/binaryProperties';
import { WAIT_LIMITS } from './common.descriptions';

export function clamp(value: unknown, limits: { default: number; min: number; max: number }): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) return limits.default;
	return Math.min(limits.max, Math.max(limits.min, number));
}

/**
 * Reads the waiting and download settings of Generate and Job → Get. They apply to the whole run
 * (all items are polled together), so they are read from the first item.
 */
export function readSettleSettings(this: IExecuteFunctions): SettleSettings {
	const wait = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const download = this.getNodeParameter('downloadVideo', 0, true) as boolean;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Math.round(clamp(options.concurrency, WAIT_LIMITS.concurrency));
	return {
		concurrency,
		wait: wait
			? {
					pollIntervalMs: clamp(options.pollInterval, WAIT_LIMITS.pollIntervalSeconds) * 1000,
					timeoutMs: clamp(options.timeout, WAIT_LIMITS.timeoutSeconds) * 1000,
				}
			: false,
		download: download ? readBinaryProperties(options) : false,
		downloadConcurrency: Math.min(concurrency, 4),
		failedJobIsError: true,
		signal: this.getExecutionCancelSignal?.(),
	};
}
