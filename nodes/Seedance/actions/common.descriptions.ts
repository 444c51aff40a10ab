import type { INodeProperties } from 'n8n-workflow';

/** Limits the node enforces on the waiting options, whatever the user types. */
export const WAIT_LIMITS = {
	pollIntervalSeconds: { default: 10, min: 1, max: 300 },
	timeoutSeconds: { default: 900, min: 10, max: 7200 },
	concurrency: { default: 5, min: 1, max: 50 },
} as const;

export const waitForCompletionField: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to wait until each video is ready (about two minutes) before passing the items on. When off, each item is the accepted job with its ID at once: pick it up later with Job → Get or a Seedance Trigger.',
};

export const downloadVideoField: INodeProperties = {
	displayName: 'Download Video',
	name: 'downloadVideo',
	type: 'boolean',
	default: true,
	description:
		'Whether to attach the finished video (and the last frame image, when the job returned one) to the item as binary data, ready for nodes such as Google Drive or Slack',
};

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Video in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'The name of the binary field that receives the video',
};

export const lastFrameBinaryPropertyOption: INodeProperties = {
	displayName: 'Put Last Frame in Field',
	name: 'lastFrameBinaryPropertyName',
	type: 'string',
	default: 'lastFrame',
	description: 'The name of the binary field that receives the last frame image, when the job returned one',
};

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: {
		minValue: WAIT_LIMITS.pollIntervalSeconds.min,
		maxValue: WAIT_LIMITS.pollIntervalSeconds.max,
	},
	default: 10,
	description:
		'How often to ask Apiframe whether the jobs are done; all items are checked together, one request per job each time. Apiframe suggests 5 to 10 seconds.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: {
		minValue: WAIT_LIMITS.timeoutSeconds.min,
		maxValue: WAIT_LIMITS.timeoutSeconds.max,
	},
	default: 900,
	description:
		'How long to wait for the jobs before giving up. A job that times out keeps running on Apiframe: the error gives its job ID so Job → Get can pick it up later.',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: WAIT_LIMITS.concurrency.min, maxValue: WAIT_LIMITS.concurrency.max },
	default: 5,
	description:
		'How many requests to Apiframe may run at the same time when there are many items. Jobs run in parallel on Apiframe either way; lower this if Apiframe answers 429 (rate limited).',
};
