import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorOutput, toNodeError } from '../../../base/errors';
import { readBalance, runEstimate, runFields } from '../../../credits/budget';
import { estimateDetails } from '../../../credits/estimate';
import { readPriceList } from '../../../credits/priceList';
import { estimateEach, type Estimates } from '../../../credits/spending';
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

type CheckedItem = { itemIndex: number; request: VideoRequest } | { itemIndex: number; error: Error };

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
	const items: CheckedItem[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const request = await buildVideoRequest.call(this, itemIndex, readGenerateParams.call(this, itemIndex), signal);
			items.push({ itemIndex, request });
		} catch (error) {
			if (!this.continueOnFail()) throw toNodeError(this.getNode(), error, itemIndex);
			items.push({ itemIndex, error: error as Error });
		}
	}

	const checked = items.flatMap((item) => ('request' in item ? [item] : []));
	const priceList = checked.length > 0 ? await readPriceList.call(this, signal) : undefined;
	const estimates: Estimates = priceList
		? estimateEach(
				priceList,
				checked.map(({ itemIndex, request }) => ({ itemIndex, body: request.body, referenceVideoSeconds: request.referenceVideoSeconds })),
			)
		: new Map();
	const run = runFields(runEstimate([...estimates.values()]), await readBalance.call(this, signal));

	return items.map((item) => ({
		json:
			'request' in item
				? { ...describeRequest(item.request), ...estimateDetails(estimates.get(item.itemIndex)!), run }
				: { ...errorOutput(item.error), run },
		pairedItem: { item: item.itemIndex },
	}));
}
