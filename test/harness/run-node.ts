import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionStatus,
	INode,
	INodeExecutionData,
	IRun,
	IRunExecutionData,
	ITaskData,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { buildAdditionalData } from './additional-data';
import { HARNESS_WORKFLOW_ID } from './binary';
import { HarnessCredentialsHelper } from './credentials-helper';
import { type BinaryDataMode, ensureN8nCore } from './env';
import { HARNESS_INPUT_TYPE, harnessInputNodeType } from './node-types';
import {
	type NodeUnderTestOptions,
	RecordingNodeTypes,
	buildNodeUnderTest,
	loadStaticData,
	persistStaticData,
} from './workflow';

export interface RunNodeOptions extends NodeUnderTestOptions {
	/** Items the node receives on its main input. Defaults to one empty item. */
	inputItems?: INodeExecutionData[];
	/** The node setting "On Error: Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Full control over the node's On Error setting; wins over `continueOnFail`. */
	onError?: INode['onError'];
	/** The node setting "Retry On Fail"; n8n clamps maxTries to 2..5 and the wait to 0..5000 ms. */
	retryOnFail?: { maxTries?: number; waitBetweenTries?: number };
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	/** Defaults to a random UUID. */
	executionId?: string;
	/** Aborting it cancels the execution like the editor's Stop button / `n8n stop`. */
	abortSignal?: AbortSignal;
	/** Defaults to `filesystem`. */
	binaryDataMode?: BinaryDataMode;
	/** Defaults to `manual` (what n8n's own NodeTestHarness uses). */
	mode?: WorkflowExecuteMode;
	/** Defaults to `{ executionOrder: 'v1' }`. */
	workflowSettings?: IWorkflowSettings;
	/** `$vars` */
	variables?: Record<string, string>;
	/** Register handlers on n8n's lifecycle hooks (nodeExecuteAfter, sendChunk…) before the run. */
	configureHooks?: (hooks: ExecutionLifecycleHooks) => void;
}

export interface RunNodeResult {
	/** Main output 0 of the node under test (last run). */
	items: INodeExecutionData[];
	/** All outputs of the node under test (`continueErrorOutput` puts errors in the last one). */
	outputs: INodeExecutionData[][];
	/**
	 * Why the execution failed: the real error object the node threw (NodeApiError,
	 * NodeOperationError…), else the error n8n recorded. With continueOnFail n8n still
	 * records the error while passing the input items on.
	 */
	error?: Error & Record<string, unknown>;
	executionId: string;
	/**
	 * `success`, `error` or `canceled` (`status` of n8n's IRun). After a cancel n8n-core
	 * reports `canceled` only if the error ending the node says so (axios' abort error
	 * does; a node's own NodeOperationError gives `error`); see `cancelled`.
	 */
	status: ExecutionStatus;
	/** Whether the harness cancelled this execution. */
	cancelled: boolean;
	/** The node's task data (hints, executionStatus, metadata…). */
	taskData?: ITaskData;
	/** The complete IRun n8n produced. */
	run: IRun;
	/** Credential data as stored after the run (preAuthentication may refresh tokens). */
	credentialsHelper: HarnessCredentialsHelper;
}

export interface RunningNode {
	executionId: string;
	/** Resolves when n8n's WorkflowExecute has finished (also after a cancel). */
	result: Promise<RunNodeResult>;
	/** Cancels the execution: n8n aborts the node's `getExecutionCancelSignal()`. */
	cancel(): void;
}

/**
 * Runs one node through n8n-core's WorkflowExecute: `Harness Input` -> node under test ->
 * `Harness Output` (both pass-through).
 * Returns immediately; use `runNode` to await the result.
 */
export function startNode(options: RunNodeOptions): RunningNode {
	const executionId = options.executionId ?? randomUUID();
	let cancelRequested = false;
	let cancelExecution: (() => void) | undefined;

	const cancel = () => {
		cancelRequested = true;
		cancelExecution?.();
	};
	if (options.abortSignal) {
		if (options.abortSignal.aborted) cancelRequested = true;
		else options.abortSignal.addEventListener('abort', cancel, { once: true });
	}

	const result = (async (): Promise<RunNodeResult> => {
		await ensureN8nCore(options.binaryDataMode ?? 'filesystem');

		const nodeTypes = new RecordingNodeTypes(options.typeName)
			.add(HARNESS_INPUT_TYPE, harnessInputNodeType)
			.add(options.typeName, options.nodeType);

		const inputNode: INode = {
			id: 'harness-input',
			name: 'Harness Input',
			type: HARNESS_INPUT_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		};
		const onError = options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : undefined);
		const node = buildNodeUnderTest(options, {
			...(onError ? { onError } : {}),
			...(options.retryOnFail
				? {
						retryOnFail: true,
						maxTries: options.retryOnFail.maxTries,
						waitBetweenTries: options.retryOnFail.waitBetweenTries,
					}
				: {}),
			...(options.alwaysOutputData ? { alwaysOutputData: true } : {}),
			...(options.executeOnce ? { executeOnce: true } : {}),
		});

		// A pass-through after the node under test, so it runs mid-workflow as usual. n8n-core
		// judges the whole execution by the error of the last node it ran: a node that fails
		// with "continue on fail" would otherwise turn the execution status into `error`.
		const outputNode: INode = { ...inputNode, id: 'harness-output', name: 'Harness Output', position: [500, 0] };
		const connections = {
			[inputNode.name]: { main: [[{ node: node.name, type: NodeConnectionTypes.Main, index: 0 }]] },
			[node.name]: { main: [[{ node: outputNode.name, type: NodeConnectionTypes.Main, index: 0 }]] },
		};
		const settings: IWorkflowSettings = options.workflowSettings ?? { executionOrder: 'v1' };
		const workflow = new Workflow({
			id: HARNESS_WORKFLOW_ID,
			name: 'Node test harness',
			nodes: [inputNode, node, outputNode],
			connections,
			nodeTypes,
			active: false,
			settings,
			staticData: loadStaticData(options.staticData),
		});
		const workflowData: IWorkflowBase = {
			id: HARNESS_WORKFLOW_ID,
			name: 'Node test harness',
			active: false,
			isArchived: false,
			nodes: [inputNode, node, outputNode],
			connections,
			settings,
			createdAt: new Date(),
			updatedAt: new Date(),
			activeVersionId: null,
		};

		const mode = options.mode ?? 'manual';
		const credentialsHelper = new HarnessCredentialsHelper(options.credentialTypes, options.credentials);
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		options.configureHooks?.(hooks);
		const additionalData = buildAdditionalData({
			credentialsHelper,
			executionId,
			hooks,
			variables: options.variables,
		});

		const runExecutionData: IRunExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{
						node: inputNode,
						data: { main: [options.inputItems ?? [{ json: {} }]] },
						source: null,
					},
				],
			},
		});

		const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
		let run: IRun;
		try {
			const execution = workflowExecute.processRunExecutionData(workflow);
			cancelExecution = () => execution.cancel();
			if (cancelRequested) execution.cancel();
			run = await execution;
		} catch (error) {
			// Thrown before any node ran, e.g. WorkflowHasIssuesError for missing required parameters.
			return {
				items: [],
				outputs: [],
				error: error as RunNodeResult['error'],
				executionId,
				status: 'error',
				cancelled: cancelRequested,
				run: {
					data: runExecutionData,
					mode,
					startedAt: new Date(),
					stoppedAt: new Date(),
					status: 'error',
					storedAt: 'db',
				},
				credentialsHelper,
			};
		} finally {
			options.abortSignal?.removeEventListener('abort', cancel);
		}

		persistStaticData(workflow, options.staticData);

		const taskData = run.data.resultData.runData[node.name]?.at(-1);
		const outputs = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((items) => items ?? []);
		const recorded = taskData?.error ?? run.data.resultData.error;
		const thrown = nodeTypes.thrown.at(-1);
		const error = recorded
			? ((thrown instanceof Error && thrown.message === recorded.message ? thrown : recorded) as RunNodeResult['error'])
			: undefined;

		return {
			items: outputs[0] ?? [],
			outputs,
			error,
			executionId,
			status: run.status,
			cancelled: cancelRequested,
			taskData,
			run,
			credentialsHelper,
		};
	})();

	return { executionId, result, cancel };
}

/** Runs one node through n8n-core's real execution engine and returns its output. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	return await startNode(options).result;
}
