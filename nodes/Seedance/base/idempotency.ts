import { createHash, randomUUID } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

/** Keys the node makes itself start with this; a key the user set does not. */
export const AUTOMATIC_KEY_PREFIX = 'n8n-seedance:';

const MAX_KEY_LENGTH = 255;

export { MAX_KEY_LENGTH as MAX_IDEMPOTENCY_KEY_LENGTH };

/**
 * The Idempotency-Key of one item's submit: the same for every attempt within one execution of
 * this node (the node's own retries and n8n's "Retry On Fail"), so Apiframe replays the job instead
 * of billing it again. The run index keeps loop iterations apart; the body hash keeps a changed
 * request from colliding with an earlier one.
 */
export function defaultIdempotencyKey(
	context: IExecuteFunctions,
	itemIndex: number,
	body: unknown,
	fallbackRunId: string,
): string {
	const executionId = context.getExecutionId?.() || fallbackRunId;
	const nodeId = context.getNode().id ?? context.getNode().name;
	let runIndex = 0;
	try {
		runIndex = Number(context.evaluateExpression('{{ $runIndex }}', itemIndex)) || 0;
	} catch {
		runIndex = 0;
	}
	const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 16);
	return `${AUTOMATIC_KEY_PREFIX}${executionId}:${nodeId}:${runIndex}:${itemIndex}:${digest}`.slice(0, MAX_KEY_LENGTH);
}

export function newRunId(): string {
	return randomUUID();
}
