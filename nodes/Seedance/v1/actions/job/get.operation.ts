import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { operationError } from '../../../base/errors';
import { NodeParameters } from '../../../base/nodeParameters';
import { estimateFields, estimateJobInput } from '../../../credits/estimate';
import { readPriceList } from '../../../credits/priceList';
import { toOutputItems } from '../../../jobs/output';
import { settle } from '../../../jobs/settle';
import { lastKnownJob, submitted, type JobAfterSubmit } from '../../../jobs/trackedJob';
import { binaryPropertyOption, lastFrameBinaryPropertyOption } from '../../../media/binaryProperties';
import { downloadDeadlineOption, maxDownloadSizeOption } from '../../../media/downloadLimits';
import { paceRequests } from '../../../transport/pacing';
import { JOB_ID_PATTERN } from '../../../transport/responses';
import { isAgentToolCall, unfinishedJobNote } from '../agentTool';
import {
	concurrencyOption,
	downloadVideoField,
	pollIntervalOption,
	timeoutOption,
	waitForCompletionField,
} from '../common.descriptions';
import { forEachItem } from '../itemRunner';
import { readSettleSettings } from '../settings';

const properties: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10',
		description: 'The jobId returned by Video → Generate, or carried by a Seedance Trigger event',
	},
	{
		...waitForCompletionField,
		default: false,
		description: 'Whether to wait until the job has finished, for example to pick up a job that timed out earlier',
	},
	downloadVideoField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			binaryPropertyOption,
			concurrencyOption,
			downloadDeadlineOption,
			lastFrameBinaryPropertyOption,
			maxDownloadSizeOption,
			{ ...pollIntervalOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
			{ ...timeoutOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
		],
	},
];

const displayOptions = { show: { resource: ['job'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Reads (and optionally waits for) the jobs of all items together, then downloads finished videos.
 * Each job comes with its estimate beside its charge, from the request Apiframe kept with it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const parameters = new NodeParameters(this);
	const settings = readSettleSettings.call(this, parameters);
	paceRequests(this, settings.concurrency);
	const checked = await forEachItem(this, (itemIndex) => {
		const jobId = String(parameters.get<unknown>('jobId', itemIndex, '') ?? '').trim();
		if (JOB_ID_PATTERN.test(jobId)) return jobId;
		throw operationError(
			this.getNode(),
			jobId ? `Job ID "${jobId}" is not a job ID` : 'Job ID is empty',
			'Apiframe job IDs are UUIDs such as 3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10: map the jobId field of a Generate or Seedance Trigger output.',
			{ itemIndex },
		);
	});
	const jobs = checked.map(
		(item): JobAfterSubmit =>
			item.ok ? submitted(item.itemIndex, item.value, null, null) : { kind: 'invalid', itemIndex: item.itemIndex, error: item.error },
	);
	const settled = await settle.call(this, jobs, settings);
	const priceList = settled.some((job) => lastKnownJob(job)) ? await readPriceList.call(this, settings.signal) : undefined;
	const agentCall = isAgentToolCall(this);
	return toOutputItems(settled, {
		failRun: !this.continueOnFail(),
		extraJson: (job) => {
			const known = lastKnownJob(job);
			return {
				...(agentCall ? unfinishedJobNote(job) : {}),
				...(priceList && known ? estimateFields(estimateJobInput(priceList, known.input)) : {}),
			};
		},
	});
}
