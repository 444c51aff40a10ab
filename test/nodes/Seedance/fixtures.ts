import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

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
