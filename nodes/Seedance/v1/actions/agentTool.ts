import type { IExecuteFunctions } from 'n8n-workflow';

import type { AgentNote } from '../../jobs/output';
import type { JobAfterSubmit } from '../../jobs/trackedJob';

/**
 * How long a call from an AI Agent waits for its jobs at most. An agent holds its whole
 * conversation while a tool runs, and a video can take many minutes: past this the tool answers
 * with the job's ID and status, and the agent can come back through Job → Get.
 */
export const AGENT_WAIT_LIMIT_SECONDS = 300;

/**
 * Whether this run is a tool call from an AI Agent. n8n runs a `usableAsTool` node for an agent
 * as a derived node type whose name is the node's own plus `Tool` (`n8n-nodes-seedance.seedanceTool`),
 * the same test n8n's `@tool` display condition makes.
 */
export function isAgentToolCall(context: Pick<IExecuteFunctions, 'getNode'>): boolean {
	return context.getNode().type.endsWith('Tool');
}

/**
 * What an agent should do about a job its call left unfinished, as a field of the JSON it reads:
 * it cannot see the node's hints, only its output.
 */
export function unfinishedJobNote(job: JobAfterSubmit): AgentNote {
	if (job.kind !== 'submitted') return {};
	return {
		note: `Job ${job.jobId} is not finished yet (${job.lastSeen?.status ?? 'QUEUED'}). It keeps running and is billed once. Fetch it later with the Job → Get operation and this jobId; do not generate it again.`,
	};
}
