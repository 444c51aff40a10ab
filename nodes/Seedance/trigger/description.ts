import type { INodeProperties } from 'n8n-workflow';

import { binaryPropertyOption, lastFrameBinaryPropertyOption } from '../media/binaryProperties';
import { downloadDeadlineOption, maxDownloadSizeOption } from '../media/downloadLimits';
import { JOB_END_EVENTS, JOB_EVENT_OPTIONS } from '../schemas/jobEvents';

/** The Events choice for signed deliveries that are not a job event the node knows. */
export const OTHER_EVENTS = 'other';

const EVENT_OPTIONS = [
	...JOB_EVENT_OPTIONS,
	{
		name: 'Other Events',
		value: OTHER_EVENTS,
		description:
			'A signed delivery the node cannot read as a job event (an event name it does not know, no job ID): starts the workflow with the raw body',
	},
].sort((a, b) => a.name.localeCompare(b.name));

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Apiframe calls this node when a job changes. Open Webhook URLs above, choose Production URL and copy it into the Seedance node\'s Options › Notify Webhook URL, then publish (activate) this workflow. Apiframe calls from the internet, so a localhost URL is never reached: n8n must be reachable at a public address (set WEBHOOK_URL on self-hosted n8n).',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENT_OPTIONS,
		default: [...JOB_END_EVENTS],
		description:
			'Which job events start the workflow; others are acknowledged (200) and ignored. Apiframe only sends the events chosen in the Seedance node\'s Notify Events.',
	},
	{
		displayName: 'Verify Signature',
		name: 'verifySignature',
		type: 'boolean',
		default: true,
		description:
			"Whether to check each delivery's X-Webhook-Signature against the credential's API key and answer 401 to anything else. Turn it off only for a test setup: without it, anyone who learns this URL can start the workflow with a made-up job, and a video is downloaded only when Re-Read Job is on, from Apiframe's own record of the job.",
	},
	{
		displayName: 'Re-Read Job',
		name: 'refetchJob',
		type: 'boolean',
		default: false,
		description:
			"Whether to read the job from Apiframe (GET /v2/jobs/{ID}) before starting the workflow, and output that authoritative record instead of the webhook's copy",
	},
	{
		displayName: 'Download Video',
		name: 'downloadVideo',
		type: 'boolean',
		default: true,
		description:
			'Whether to attach the video of a completed job (and its last frame, when there is one) as binary data',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [binaryPropertyOption, downloadDeadlineOption, lastFrameBinaryPropertyOption, maxDownloadSizeOption],
	},
];
