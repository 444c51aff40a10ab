import { AdaptiveConcurrency } from '../base/concurrency';
import type { ApiContext } from './index';

/**
 * One adaptive limit per node execution for every request it sends to Apiframe (submits, uploads,
 * job reads), so that a 429 to any of them slows all of them. Keyed by the execution's context,
 * which n8n makes afresh for each run of a node.
 */
const limits = new WeakMap<ApiContext, AdaptiveConcurrency>();

/** Paces this execution's Apiframe requests, starting at and never exceeding `ceiling` at once. */
export function paceRequests(context: ApiContext, ceiling: number): AdaptiveConcurrency {
	const existing = limits.get(context);
	if (existing) {
		existing.setCeiling(ceiling);
		return existing;
	}
	const limit = new AdaptiveConcurrency(ceiling);
	limits.set(context, limit);
	return limit;
}

/** The execution's limit; undefined when it sends requests unpaced (a single one, say). */
export function requestLimitOf(context: ApiContext): AdaptiveConcurrency | undefined {
	return limits.get(context);
}
