import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { NodeParameters } from '../../base/nodeParameters';
import { clamp } from '../../base/numbers';
import { settleSettings, type SettleSettings } from '../../jobs/settle';
import { readDownloadPlan } from '../../media/downloadLimits';
import { AGENT_WAIT_LIMIT_SECONDS, isAgentToolCall } from './agentTool';
import { WAIT_LIMITS } from './common.descriptions';

/**
 * Reads the waiting and download settings of Generate and Job → Get. They apply to the whole run
 * (all items are polled together), so they are read from the first item.
 *
 * Called by an AI Agent, the node waits at most AGENT_WAIT_LIMIT_SECONDS and then answers with
 * the unfinished job instead of an error, and downloads nothing: an agent sees only JSON (the
 * video URL), and a video held as binary would only cost memory.
 */
export function readSettleSettings(this: IExecuteFunctions, parameters: NodeParameters): SettleSettings {
	const agentTool = isAgentToolCall(this);
	const wait = parameters.get('waitForCompletion', 0, true);
	const download = !agentTool && parameters.get('downloadVideo', 0, true);
	const options = parameters.get<IDataObject>('options', 0, {});
	const timeoutSeconds = clamp(options.timeout, WAIT_LIMITS.timeoutSeconds);
	return settleSettings({
		concurrency: options.concurrency,
		wait: wait
			? {
					pollIntervalMs: clamp(options.pollInterval, WAIT_LIMITS.pollIntervalSeconds) * 1000,
					timeoutMs: (agentTool ? Math.min(timeoutSeconds, AGENT_WAIT_LIMIT_SECONDS) : timeoutSeconds) * 1000,
					whenTimeUp: agentTool ? 'return-unfinished' : 'fail-item',
				}
			: false,
		download: download ? readDownloadPlan(options) : false,
		failedJobIsError: true,
		signal: this.getExecutionCancelSignal?.(),
	});
}
