import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
} from 'n8n-workflow';

import { SeedanceApi } from '../../../credentials/SeedanceApi.credentials';
import { Seedance } from '../../../nodes/Seedance/Seedance.node';
import { disposeHarness, runNode, startNode, storeBinary, type RunNodeOptions } from '../../harness';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox';

export const SEEDANCE_TYPE = 'n8n-nodes-seedance.seedance';

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	return await startSandbox({ queueMs: 100, processingMs: 900, videoBytes: 256 * 1024, ...options });
}

/** One sandbox per test file, reset between tests; returns a getter since it starts in beforeAll. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startTestSandbox(options);
	});
	afterEach(() => sandbox.reset());
	afterAll(async () => {
		await sandbox.close();
		await disposeHarness();
	});
	return () => sandbox;
}

export function credentialsFor(sandbox: Sandbox, apiKey = sandbox.apiKey) {
	return {
		credentialTypes: [new SeedanceApi()],
		credentials: { seedanceApi: { apiKey, baseUrl: sandbox.url } },
	};
}

export function generateParameters(overrides: IDataObject = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'video',
		operation: 'generate',
		model: 'seedance-2',
		prompt: '={{ $json.prompt }}',
		inputMode: 'text',
		videoSettings: {},
		waitForCompletion: true,
		downloadVideo: true,
		options: { pollInterval: 1, timeout: 60, ...options },
		...overrides,
	};
}

export function prompts(...texts: string[]): INodeExecutionData[] {
	return texts.map((prompt) => ({ json: { prompt } }));
}

type RunOptions = Omit<RunNodeOptions, 'nodeType' | 'typeName'>;

export async function runSeedance(sandbox: Sandbox, parameters: INodeParameters, options: RunOptions = {}) {
	return await runNode({
		nodeType: new Seedance(),
		typeName: SEEDANCE_TYPE,
		parameters,
		...credentialsFor(sandbox),
		...options,
	});
}

export function startSeedance(sandbox: Sandbox, parameters: INodeParameters, options: RunOptions = {}) {
	return startNode({
		nodeType: new Seedance(),
		typeName: SEEDANCE_TYPE,
		parameters,
		...credentialsFor(sandbox),
		...options,
	});
}

export function requestsTo(sandbox: Sandbox, method: string, pathPattern: RegExp) {
	return sandbox.requests.filter((request) => request.method === method && pathPattern.test(request.path));
}

/** A media file the sandbox ships (sandbox/assets). */
export function sandboxAsset(name: string): Buffer {
	return readFileSync(path.join(__dirname, '..', '..', '..', 'sandbox', 'assets', name));
}

/** An input item whose binary fields hold the given files, stored as n8n stores binary data. */
export async function itemWithFiles(json: IDataObject, files: Record<string, [Buffer, string]>): Promise<INodeExecutionData> {
	const binary: Record<string, Awaited<ReturnType<typeof storeBinary>>> = {};
	for (const [name, [data, fileName]] of Object.entries(files)) {
		binary[name] = await storeBinary(data, { fileName, mimeType: 'application/octet-stream' });
	}
	return { json, binary };
}

/**
 * Runs `work` as the execute() of a node that holds the Seedance API credential, inside n8n-core's
 * real execution engine: how the node's modules (transport, jobs) are tested on their own.
 */
export async function runInNode(
	credentials: { apiKey: string; baseUrl: string },
	work: (this: IExecuteFunctions) => Promise<INodeExecutionData[]>,
	options: RunOptions = {},
) {
	const probe: INodeType = {
		description: {
			displayName: 'Module Probe',
			name: 'moduleProbe',
			group: ['transform'],
			version: 1,
			description: 'Runs one of the Seedance modules',
			defaults: { name: 'Module Probe' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'seedanceApi', required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			return [await work.call(this)];
		},
	};
	return await runNode({
		nodeType: probe,
		typeName: 'n8n-nodes-seedance.moduleProbe',
		credentialTypes: [new SeedanceApi()],
		credentials: { seedanceApi: credentials },
		...options,
	});
}

/** Submits a job straight to the sandbox, as another run would have; returns its ID. */
export async function submitToSandbox(sandbox: Sandbox, prompt: string): Promise<string> {
	const response = await fetch(`${sandbox.url}/v2/videos/generate`, {
		method: 'POST',
		headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ model: 'seedance-2', prompt }),
	});
	return ((await response.json()) as { jobId: string }).jobId;
}
