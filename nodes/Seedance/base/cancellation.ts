import { sleep } from 'n8n-workflow';

/** Longest single wait, so that n8n 1.x (whose sleep ignores the signal) still stops soon after a cancel. */
const SLICE_MS = 500;

export class ExecutionCancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'ExecutionCancelledError';
	}
}

/**
 * A signal for one request, sleep or download, aborted when `signal` is. The one use's listener goes
 * on it, not on the run's signal: a wide run has dozens of these in flight at once, and a signal of
 * the node's own making warns past ten listeners ("MaxListenersExceededWarning").
 */
export function signalForOneUse(signal?: AbortSignal): AbortSignal | undefined {
	return signal ? AbortSignal.any([signal]) : undefined;
}

export function throwIfCancelled(signal?: AbortSignal): void {
	if (signal?.aborted) throw new ExecutionCancelledError();
}

/** Waits `ms`, returning early with an ExecutionCancelledError when the execution is cancelled. */
export async function cancellableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	const end = Date.now() + ms;
	throwIfCancelled(signal);
	const ownSignal = signalForOneUse(signal);
	for (let left = ms; left > 0; left = end - Date.now()) {
		try {
			await (sleep as (ms: number, signal?: AbortSignal) => Promise<void>)(
				Math.min(left, SLICE_MS),
				ownSignal,
			);
		} catch {
			// n8n 2.x rejects its sleep on abort; the check below turns that into our error.
		}
		throwIfCancelled(signal);
	}
}
