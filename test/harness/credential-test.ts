import { CredentialTestContext, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentialType,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';

import { buildAdditionalData } from './additional-data';
import { HarnessCredentialsHelper } from './credentials-helper';
import { ensureN8nCore } from './env';
import { HarnessNodeTypes } from './node-types';

// n8n runs declarative credential tests on a temporary NoOp node; credentials helpers
// recognise a test by this type plus the empty `temp` parameter.
const TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

export interface TestCredentialOptions {
	/**
	 * Other credential types the tested one `extends`, so inherited properties, defaults
	 * and `authenticate` resolve.
	 */
	credentialTypes?: ICredentialType[];
	/**
	 * A node type whose `credentials[].testedBy` names a `methods.credentialTest` function;
	 * used when the credential type has no declarative `test`, as n8n does.
	 */
	nodeType?: INodeType | IVersionedNodeType;
}

/**
 * n8n's "Test credential" button (CLI CredentialsTester), rebuilt from n8n-core pieces
 * because n8n-core has no reusable tester: the declarative `test.request` becomes the
 * routing of a temporary node run by n8n-core's RoutingNode, which sends it through
 * `httpRequestWithAuthentication` (so `authenticate` is applied exactly as in a workflow).
 * Errors and `rules` map to `{ status, message }` as in n8n.
 */
export async function testCredential(
	credentialType: ICredentialType,
	data: ICredentialDataDecryptedObject,
	options: TestCredentialOptions = {},
): Promise<INodeCredentialTestResult> {
	await ensureN8nCore();
	const credentialsHelper = new HarnessCredentialsHelper([credentialType, ...(options.credentialTypes ?? [])], {
		[credentialType.name]: data,
	});
	const additionalData = buildAdditionalData({ credentialsHelper });

	let resolved: ICredentialDataDecryptedObject;
	try {
		resolved = await credentialsHelper.applyDefaultsAndResolve(additionalData, data, credentialType.name, 'internal');
	} catch (error) {
		return { status: 'Error', message: String(error.message) };
	}
	const credentials: ICredentialsDecrypted = {
		id: `harness-${credentialType.name}`,
		name: `${credentialType.name} (harness)`,
		type: credentialType.name,
		data: resolved,
	};

	const testRequest: ICredentialTestRequest | undefined = credentialType.test;
	if (!testRequest) {
		const testFunction = findTestFunction(credentialType.name, options.nodeType);
		if (!testFunction) return { status: 'Error', message: 'No testing function found for this credential.' };
		return await testFunction.call(new CredentialTestContext(additionalData), credentials);
	}

	const testNodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: TEST_NODE_TYPE,
			group: ['organization'],
			version: 1,
			description: '',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType.name]: { id: credentials.id ?? null, name: credentials.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes().add(TEST_NODE_TYPE, testNodeType),
	});
	const inputData = { main: [[{ json: {} }]] };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		inputData,
		{ node, data: {}, source: null },
		[],
	);

	let response: INodeExecutionData[][] | null | undefined;
	await workflow.expression.acquireIsolate();
	try {
		response = await new RoutingNode(context, testNodeType, credentials).runNode();
	} catch (error) {
		const httpResponse = error.cause?.response as { status: number; statusText?: string } | undefined;
		if (httpResponse) {
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && httpResponse.status === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (httpResponse.status < 199 || httpResponse.status > 299) {
				return {
					status: 'Error',
					message: httpResponse.statusText || `Received HTTP status code: ${httpResponse.status}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: String(error.cause.code) };
		}
		return { status: 'Error', message: String(error.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (getPath(body, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

function findTestFunction(credentialName: string, nodeType?: INodeType | IVersionedNodeType) {
	if (!nodeType) return undefined;
	const versions: INodeType[] =
		'nodeVersions' in nodeType
			? Object.keys(nodeType.nodeVersions)
					.map(Number)
					.sort((a, b) => b - a)
					.map((version) => NodeHelpers.getVersionedNodeType(nodeType, version))
			: [nodeType];
	for (const version of versions) {
		for (const { name, testedBy } of version.description.credentials ?? []) {
			if (name !== credentialName || typeof testedBy !== 'string') continue;
			const fn = version.methods?.credentialTest?.[testedBy];
			if (fn) return fn;
		}
	}
	return undefined;
}

/** lodash `get` for dotted paths, as the rules' `key` is interpreted by n8n. */
function getPath(value: unknown, key: string): unknown {
	return key
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean)
		.reduce<unknown>((current, part) => (current == null ? undefined : (current as Record<string, unknown>)[part]), value);
}
