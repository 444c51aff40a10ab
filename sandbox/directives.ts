/**
 * Prompt directives let a run driven through a real n8n script a job without the admin API:
 *   [sandbox:fail]            the job ends FAILED (credits refunded)
 *   [sandbox:fail=<message>]  same, with this error message
 *   [sandbox:expired]         the job completes with expired: true and its files answer 404
 *   [sandbox:cancel]          the job ends CANCELLED where it would have completed (not refunded)
 *   [sandbox:slow=<ms>]       the job spends <ms> in PROCESSING
 */
export interface PromptDirectives {
	fail: boolean;
	failMessage: string;
	expired: boolean;
	cancel: boolean;
	processingMs: number | null;
}

export const DEFAULT_FAILURE_MESSAGE = 'Video generation failed: the upstream provider returned an error';

export function parsePromptDirectives(prompt: string): PromptDirectives {
	const fail = /\[sandbox:fail(?:=([^\]]*))?\]/i.exec(prompt);
	const slow = /\[sandbox:slow=(\d{1,9})\]/i.exec(prompt);
	return {
		fail: fail !== null,
		failMessage: fail?.[1]?.trim() || DEFAULT_FAILURE_MESSAGE,
		expired: /\[sandbox:expired\]/i.test(prompt),
		cancel: /\[sandbox:cancel\]/i.test(prompt),
		processingMs: slow ? Math.max(1, Number(slow[1])) : null,
	};
}
