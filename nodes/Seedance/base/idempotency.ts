import { createHash, randomUUID } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/** Keys the node makes itself start with this; a key the user set does not. */
export const AUTOMATIC_KEY_PREFIX = 'n8n-seedance:';

const MAX_KEY_LENGTH = 255;

export { MAX_KEY_LENGTH as MAX_IDEMPOTENCY_KEY_LENGTH };

/**
 * What the automatic keys of one run of this node share: the execution, the node and the run
 * index, which keeps loop iterations apart. Read once per run: the run index is an expression
 * for n8n to evaluate, the same for every item.
 */
export function automaticKeyPrefix(context: IExecuteFunctions, fallbackRunId: string): string {
	const executionId = context.getExecutionId?.() || fallbackRunId;
	const nodeId = context.getNode().id ?? context.getNode().name;
	let runIndex = 0;
	try {
		runIndex = Number(context.evaluateExpression('{{ $runIndex }}', 0)) || 0;
	} catch {
		runIndex = 0;
	}
	return `${AUTOMATIC_KEY_PREFIX}${executionId}:${nodeId}:${runIndex}:`;
}

/**
 * The Idempotency-Key of one item's submit: the same for every attempt within one execution of
 * this node (the node's own retries and n8n's "Retry On Fail"), so Apiframe replays the job instead
 * of billing it again. The body hash keeps a changed request from colliding with an earlier one.
 */
export function defaultIdempotencyKey(runPrefix: string, itemIndex: number, body: unknown): string {
	const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
	return `${runPrefix}${itemIndex}:${digest}`.slice(0, MAX_KEY_LENGTH);
}

export function newRunId(): string {
	return randomUUID();
}
