import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { NodeParameters } from '../base/nodeParameters';
import type { SeedanceRequestBody } from '../schemas/seedanceRequest';
import { balanceRefusal, capRefusal, readBalance, runEstimate, type Refusal } from './budget';
import { estimateRequest } from './estimate';
import { readPriceList, type PriceList } from './priceList';
import type { CreditEstimate } from './pricing';

/** One item's request as it would be submitted, with the most reference video it may be billed for. */
export interface PricedRequest {
	itemIndex: number;
	body: SeedanceRequestBody;
	referenceVideoSeconds: number;
}

/** Each item's estimate, by item index, for the items that had a request to estimate. */
export type Estimates = ReadonlyMap<number, CreditEstimate>;

export function estimateEach(priceList: PriceList, requests: PricedRequest[]): Estimates {
	return new Map(requests.map(({ itemIndex, body, referenceVideoSeconds }) => [itemIndex, estimateRequest(priceList, body, referenceVideoSeconds)]));
}

/** Generate's spending checks: Options › Max Credits for This Run and Check Balance Before Submitting. */
export interface SpendingChecks {
	maxCredits: number | undefined;
	checkBalance: boolean;
}

/** The spending checks, read from the first item like the other options that apply to the whole run. */
export function readSpendingChecks(parameters: NodeParameters): SpendingChecks {
	const options = parameters.get<IDataObject>('options', 0, {});
	const maxCredits = options.maxCredits === undefined || options.maxCredits === '' ? undefined : Number(options.maxCredits);
	return { maxCredits, checkBalance: options.checkBalance !== false };
}

/**
 * Estimates every request from Apiframe's catalogue (read once for the run) and applies the
 * spending checks to the run as a whole, before anything is uploaded or submitted.
 */
export async function estimateRun(
	this: IExecuteFunctions,
	parameters: NodeParameters,
	requests: PricedRequest[],
	signal?: AbortSignal,
): Promise<{ estimates: Estimates; refusal?: Refusal }> {
	if (requests.length === 0) return { estimates: new Map() };
	const estimates = estimateEach(await readPriceList.call(this, signal), requests);
	const run = runEstimate([...estimates.values()]);
	const { maxCredits, checkBalance } = readSpendingChecks(parameters);
	const overCap = maxCredits === undefined ? undefined : capRefusal(run, maxCredits);
	if (overCap) return { estimates, refusal: overCap };
	if (!checkBalance) return { estimates };
	return { estimates, refusal: balanceRefusal(run, await readBalance.call(this, signal)) };
}
