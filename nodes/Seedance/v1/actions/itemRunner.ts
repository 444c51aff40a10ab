import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorOutput, toNodeError } from '../../base/errors';

/** What one input item came to: its value, or (under Continue On Fail) its error. */
export type ItemOutcome<T> = { itemIndex: number; ok: true; value: T } | { itemIndex: number; ok: false; error: Error };

/**
 * Runs `run` for each input item in turn, the loop every item-wise step of the node shares.
 * Without Continue On Fail the first error fails the node, naming its item; with it, the error
 * becomes that item's outcome and the next item runs.
 */
export async function forEachItem<T>(
	context: IExecuteFunctions,
	run: (itemIndex: number) => Promise<T> | T,
): Promise<Array<ItemOutcome<T>>> {
	const outcomes: Array<ItemOutcome<T>> = [];
	const itemCount = context.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			outcomes.push({ itemIndex, ok: true, value: await run(itemIndex) });
		} catch (error) {
			if (!context.continueOnFail()) throw toNodeError(context.getNode(), error, itemIndex);
			outcomes.push({ itemIndex, ok: false, error: error as Error });
		}
	}
	return outcomes;
}

/** One output item per input item, paired with it: `run`'s JSON, or the error's fields under Continue On Fail. */
export async function executePerItem(
	context: IExecuteFunctions,
	run: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const outcomes = await forEachItem(context, run);
	return outcomes.map((outcome) => ({
		json: outcome.ok ? outcome.value : errorOutput(outcome.error),
		pairedItem: { item: outcome.itemIndex },
	}));
}
