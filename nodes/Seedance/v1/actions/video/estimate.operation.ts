import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorOutput } from '../../../base/errors';
import { NodeParameters } from '../../../base/nodeParameters';
import { readBalance, runEstimate, runFields } from '../../../credits/budget';
import { estimateDetails } from '../../../credits/estimate';
import { readPriceList } from '../../../credits/priceList';
import { estimateEach, type Estimates } from '../../../credits/spending';
import { forEachItem } from '../itemRunner';
import { generateFields } from './generate.fields';
import { readGenerateParams } from '../../../request/params';
import { buildVideoRequest, type VideoRequest } from '../../../request/videoRequest';

const properties: INodeProperties[] = [
	{
		displayName:
			"Estimates what Generate would charge for each item, from Apiframe's public price catalogue, and compares the run's total with the team's balance. Nothing is submitted or uploaded.",
		name: 'estimateNotice',
		type: 'notice',
		default: '',
	},
	...generateFields,
];

const displayOptions = { show: { resource: ['video'], operation: ['estimate'] } };

export const description = updateDisplayOptions(displayOptions, properties);

function describeRequest({ body, referenceVideoSeconds }: VideoRequest): IDataObject {
	const params = body.seedanceParams ?? {};
	return {
		model: body.model,
		duration: params.duration ?? null,
		resolution: params.resolution ?? null,
		generateAudio: params.generate_audio ?? null,
		referenceVideoSeconds,
	};
}

/**
 * Checks every item as Generate does (the same fields, the same errors) and estimates its charge;
 * each item also carries the run's total, the team's balance and whether the balance covers the
 * run, as Generate's Check Balance Before Submitting would judge it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal?.();
	const parameters = new NodeParameters(this);
	const items = await forEachItem(
		this,
		async (itemIndex) => await buildVideoRequest.call(this, itemIndex, readGenerateParams(parameters, itemIndex), signal),
	);

	const checked = items.flatMap((item) => (item.ok ? [{ itemIndex: item.itemIndex, request: item.value }] : []));
	const priceList = checked.length > 0 ? await readPriceList.call(this, signal) : undefined;
	const estimates: Estimates = priceList
		? estimateEach(
				priceList,
				checked.map(({ itemIndex, request }) => ({ itemIndex, body: request.body, referenceVideoSeconds: request.referenceVideoSeconds })),
			)
		: new Map();
	const run = runFields(runEstimate([...estimates.values()]), await readBalance.call(this, signal));

	return items.map((item) => ({
		json: item.ok
			? { ...describeRequest(item.value), ...estimateDetails(estimates.get(item.itemIndex)!), run }
			: { ...errorOutput(item.error), run },
		pairedItem: { item: item.itemIndex },
	}));
}
