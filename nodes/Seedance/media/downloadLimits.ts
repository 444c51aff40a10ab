import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { clamp } from '../base/numbers';
import { readBinaryProperties, type BinaryProperties } from './binaryProperties';

/** How long and how large one result file may be; a host that trickles or floods fails the item. */
export interface DownloadLimits {
	/** The whole download of one file, every retry included. */
	deadlineMs: number;
	/** The largest file stored, in bytes; null: no cap. */
	maxBytes: number | null;
}

/** Where completed jobs' files go, and their limits. */
export type DownloadPlan = BinaryProperties & DownloadLimits;

export const downloadDeadlineOption: INodeProperties = {
	displayName: 'Download Deadline (Seconds)',
	name: 'downloadDeadline',
	type: 'number',
	typeOptions: { minValue: 5, maxValue: 7200 },
	default: 600,
	description:
		'The longest the download of one file (a video or its last frame) may take, retries included. A result host that sends the file too slowly then fails the item, with its job ID, instead of holding the execution.',
};

export const maxDownloadSizeOption: INodeProperties = {
	displayName: 'Max Download Size (MB)',
	name: 'maxDownloadSizeMb',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description:
		'The largest file to download, in megabytes (0: no limit). A larger file fails its item, with its job ID, and is not stored.',
};

const BYTES_PER_MB = 1024 * 1024;

function numberOption(options: IDataObject, option: INodeProperties): number {
	return clamp(options[option.name] ?? option.default, {
		default: Number(option.default),
		min: option.typeOptions?.minValue ?? Number.NEGATIVE_INFINITY,
		max: option.typeOptions?.maxValue ?? Number.POSITIVE_INFINITY,
	});
}

/** Reads the Download Deadline and Max Download Size options. */
export function readDownloadLimits(options: IDataObject): DownloadLimits {
	const maxMb = numberOption(options, maxDownloadSizeOption);
	return {
		deadlineMs: numberOption(options, downloadDeadlineOption) * 1000,
		maxBytes: maxMb > 0 ? Math.round(maxMb * BYTES_PER_MB) : null,
	};
}

/** The limits when no option is set. */
export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = readDownloadLimits({});

/** Reads where files go (Put Video in Field, Put Last Frame in Field) and their limits. */
export function readDownloadPlan(options: IDataObject): DownloadPlan {
	return { ...readBinaryProperties(options), ...readDownloadLimits(options) };
}
