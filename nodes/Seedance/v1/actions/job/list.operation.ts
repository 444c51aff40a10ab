import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { operationError } from '../../../base/errors';
import { listJobs, type JobListFilters } from '../../../jobs/list';
import { toOutputItems } from '../../../jobs/output';
import { settle, settleSettings } from '../../../jobs/settle';
import { observe, submitted, type JobAfterSubmit } from '../../../jobs/trackedJob';
import { binaryPropertyOption, lastFrameBinaryPropertyOption } from '../../../media/binaryProperties';
import { downloadDeadlineOption, maxDownloadSizeOption, readDownloadPlan } from '../../../media/downloadLimits';
import { JOB_STATUSES, type JobStatus } from '../../../transport/responses';
import { concurrencyOption, downloadVideoField } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description:
					'Only jobs created at or after this time, for example when a crashed or cancelled run began. Apiframe has no time filter: the node reads pages newest first and stops at the first older job.',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only jobs created before this time',
			},
			{
				displayName: 'Model',
				name: 'model',
				type: 'string',
				default: '',
				placeholder: 'seedance-2',
				description: 'Only jobs of this model',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'COMPLETED',
				options: [...JOB_STATUSES].sort().map((status) => ({
					name: status.charAt(0) + status.slice(1).toLowerCase(),
					value: status,
				})),
				description: 'Only jobs in this status',
			},
		],
	},
	{
		...downloadVideoField,
		default: false,
		description:
			'Whether to attach the video of each completed job (and its last frame, when there is one) as binary data. Off by default: a list can hold many jobs.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [binaryPropertyOption, concurrencyOption, downloadDeadlineOption, lastFrameBinaryPropertyOption, maxDownloadSizeOption],
	},
];

const displayOptions = { show: { resource: ['job'], operation: ['list'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** A date field as epoch milliseconds, or an error naming the field. */
function readTime(this: IExecuteFunctions, value: unknown, field: string, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const time = Date.parse(String(value));
	if (Number.isNaN(time)) {
		throw operationError(this.getNode(), `Filters › ${field} "${String(value)}" is not a date`, 'Give an ISO date such as 2026-12-01T09:00:00Z, or pick one.', { itemIndex });
	}
	return time;
}

function readFilters(this: IExecuteFunctions, itemIndex: number): JobListFilters {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const createdAfter = readTime.call(this, filters.createdAfter, 'Created After', itemIndex);
	const createdBefore = readTime.call(this, filters.createdBefore, 'Created Before', itemIndex);
	if (createdAfter !== undefined && createdBefore !== undefined && createdAfter >= createdBefore) {
		throw operationError(this.getNode(), 'Filters › Created After is not before Created Before', 'No job can match: swap the two dates or remove one.', { itemIndex });
	}
	const model = String(filters.model ?? '').trim();
	return {
		status: (filters.status as JobStatus | undefined) || undefined,
		model: model || undefined,
		createdAfter,
		createdBefore,
		limit: returnAll ? undefined : Math.max(1, Math.floor(Number(this.getNodeParameter('limit', itemIndex, 50)))),
	};
}

/** Lists the account's jobs for each input item: one output item per job, newest first. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const jobs: JobAfterSubmit[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const listed = await listJobs.call(this, readFilters.call(this, itemIndex), itemIndex, signal);
		jobs.push(...listed.map((job) => observe(submitted(itemIndex, job.id, null, job), job)));
	}
	const settings = settleSettings({
		wait: false,
		download: this.getNodeParameter('downloadVideo', 0, false) ? readDownloadPlan(options) : false,
		concurrency: options.concurrency,
		// A failed or cancelled job is a row of the list, not an error.
		failedJobIsError: false,
		signal,
	});
	const settled = await settle.call(this, jobs, settings);
	return toOutputItems(settled, { failRun: !this.continueOnFail() });
}
