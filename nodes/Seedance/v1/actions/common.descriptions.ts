import type { INodeProperties } from 'n8n-workflow';

import { CONCURRENCY_LIMITS } from '../../jobs/settle';
import { AGENT_WAIT_LIMIT_SECONDS } from './agentTool';

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

export const pollIntervalOption: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 300 },
	default: 10,
	description:
		'How often to ask Apiframe whether the jobs are done. All items are checked together, up to 100 jobs per request through Apiframe\'s job list. Apiframe suggests 5 to 10 seconds.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 10, maxValue: 7200 },
	default: 900,
	description:
		`How long to wait for the jobs before giving up (Generate counts it from the run's last submit). A job that times out keeps running on Apiframe: the error gives its job ID so Job → Get can pick it up later. Called by an AI Agent, the node waits at most ${AGENT_WAIT_LIMIT_SECONDS} seconds and then answers with the job ID and status instead of an error.`,
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: CONCURRENCY_LIMITS.min, maxValue: CONCURRENCY_LIMITS.max },
	// n8n's linter wants the default written out; a test holds it to CONCURRENCY_LIMITS.
	default: 20,
	description:
		'The most requests to Apiframe (and video downloads) at the same time. The node starts here, halves it whenever Apiframe answers 429 (rate limited), waiting as long as Apiframe asks, and grows back by one after each round of answers without a 429. Lower it to stay further from the rate limit.',
};

export interface Limits {
	default: number;
	min: number;
	max: number;
}

/** A number option's default and bounds, as its panel field states them. */
function limitsOf(option: INodeProperties): Limits {
	return {
		default: Number(option.default),
		min: option.typeOptions?.minValue ?? Number.NEGATIVE_INFINITY,
		max: option.typeOptions?.maxValue ?? Number.POSITIVE_INFINITY,
	};
}

/** Limits the node enforces on the waiting options, whatever the user types (an expression, say). */
export const WAIT_LIMITS = {
	pollIntervalSeconds: limitsOf(pollIntervalOption),
	timeoutSeconds: limitsOf(timeoutOption),
};
