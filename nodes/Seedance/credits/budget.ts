import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../base/errors';
import { creditBounds, type CreditEstimate } from './pricing';
import { fetchAccount } from '../transport/apiframe';
import { isRefusedRedirect, type ApiContext } from '../transport/index';

const NOTHING_SENT = 'Nothing was sent to Apiframe, so nothing was billed.';

/** A run's estimate: the sums over the items that have one, and how many have none and why. */
export interface RunEstimate {
	low: number;
	high: number;
	items: number;
	unpriced: number;
	/** Why items have no estimate, each reason once. */
	reasons: string[];
}

export function runEstimate(estimates: CreditEstimate[]): RunEstimate {
	const run: RunEstimate = { low: 0, high: 0, items: estimates.length, unpriced: 0, reasons: [] };
	for (const estimate of estimates) {
		const bounds = creditBounds(estimate);
		if (bounds) {
			run.low += bounds.low;
			run.high += bounds.high;
			continue;
		}
		run.unpriced += 1;
		if (estimate.kind === 'unknown' && !run.reasons.includes(estimate.reason)) run.reasons.push(estimate.reason);
	}
	return run;
}

function describeRun(run: RunEstimate): string {
	const range = run.low === run.high ? `${run.high}` : `${run.low}–${run.high}`;
	const items = `${run.items - run.unpriced} item${run.items - run.unpriced === 1 ? '' : 's'}`;
	return `estimate ${range} for ${items}`;
}

/** The team's balance as one execution read it, or why it could not be read. */
export type Balance = { kind: 'read'; credits: number } | { kind: 'unavailable'; reason: string };

export async function readBalance(this: ApiContext, signal?: AbortSignal): Promise<Balance> {
	try {
		const account = await fetchAccount.call(this, 0, signal);
		const credits = account.team?.credits;
		if (typeof credits !== 'number') return { kind: 'unavailable', reason: "Apiframe's account answer has no team balance" };
		return { kind: 'read', credits };
	} catch (error) {
		if (signal?.aborted || isRefusedRedirect(error)) throw toNodeError(this.getNode(), error);
		return { kind: 'unavailable', reason: `The team's balance could not be read: ${(error as Error).message}` };
	}
}

/**
 * Whether the balance covers the run. Only the upper estimate makes a run safe from running out
 * halfway, so that is what is compared; items without an estimate cannot be counted.
 */
export type Affordability =
	| { kind: 'affordable' }
	| { kind: 'short'; credits: number; shortfall: number }
	| { kind: 'unknown'; reason: string };

export function affordability(run: RunEstimate, balance: Balance): Affordability {
	if (balance.kind === 'unavailable') return { kind: 'unknown', reason: balance.reason };
	if (run.high > balance.credits) return { kind: 'short', credits: balance.credits, shortfall: run.high - balance.credits };
	if (run.unpriced > 0) {
		return { kind: 'unknown', reason: `${run.unpriced} of ${run.items} items have no estimate: ${run.reasons.join('; ')}` };
	}
	return { kind: 'affordable' };
}

/** Estimate's summary of the run, carried by each of its items. */
export function runFields(run: RunEstimate, balance: Balance): IDataObject {
	const verdict = affordability(run, balance);
	return {
		estimatedCredits: run.items === run.unpriced ? null : { low: run.low, high: run.high },
		items: run.items,
		unpricedItems: run.unpriced,
		balance: balance.kind === 'read' ? balance.credits : null,
		affordable: verdict.kind === 'unknown' ? null : verdict.kind === 'affordable',
		shortfall: verdict.kind === 'short' ? verdict.shortfall : null,
		note: verdict.kind === 'unknown' ? verdict.reason : null,
	};
}

/** Why a run is refused before anything is submitted. */
export interface Refusal {
	message: string;
	description: string;
}

/**
 * Options › Max Credits for This Run is a promise, so every item needs an upper estimate: a run
 * with an item that has none is refused, as is one whose upper estimate exceeds the cap.
 */
export function capRefusal(run: RunEstimate, cap: number): Refusal | undefined {
	if (run.unpriced > 0) {
		return {
			message: `Cannot hold this run to ${cap} credits: ${run.unpriced} of its ${run.items} items have no estimate`,
			description: `${run.reasons.join('\n')}\nOptions › Max Credits for This Run needs an estimate of every item. Try again later, or remove the option to run without a cap. ${NOTHING_SENT}`,
		};
	}
	if (run.high <= cap) return undefined;
	return {
		message: `This run may cost up to ${run.high} credits (${describeRun(run)}), over Options › Max Credits for This Run (${cap})`,
		description: `Raise the cap, run fewer items, or choose shorter, lower-resolution or cheaper videos. ${NOTHING_SENT}`,
	};
}

/**
 * Options › Check Balance Before Submitting: a run whose upper estimate the balance cannot cover is
 * refused before its first submit, instead of stopping at Apiframe's 402 with some items paid.
 * When the balance or the estimates cannot be read, Apiframe decides job by job, as without it.
 */
export function balanceRefusal(run: RunEstimate, balance: Balance): Refusal | undefined {
	const verdict = affordability(run, balance);
	if (verdict.kind !== 'short') return undefined;
	const uncounted = run.unpriced > 0 ? ` ${run.unpriced} items without an estimate are not counted.` : '';
	return {
		message: `The team has ${verdict.credits} credits, but this run may cost up to ${run.high} (${describeRun(run)}): ${verdict.shortfall} short`,
		description: `Add credits to the Apiframe team, or run fewer items.${uncounted} To let Apiframe decide job by job instead, switch off Options › Check Balance Before Submitting: a job it cannot cover then fails with 402. ${NOTHING_SENT}`,
	};
}
