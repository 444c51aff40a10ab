import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentials, ICredentialsHelper, NodeHelpers, UnexpectedError, Workflow, isExpression } from 'n8n-workflow';

import { HarnessNodeTypes } from './node-types';

/** Credentials held in plain text: the harness has no database and no encrypted store. */
class PlainCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private plain: ICredentialDataDecryptedObject,
	) {
		super(details, type);
	}

	async getData() {
		return structuredClone(this.plain);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.plain) };
	}

	async setData(data: ICredentialDataDecryptedObject) {
		this.plain = structuredClone(data);
	}

	async updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []) {
		const next = { ...this.plain, ...toUpdate };
		for (const key of toDelete) delete next[key];
		this.plain = next;
	}
}

const MOCK_NODE_TYPE = 'n8nHarness.credentialsMock';
const mockNode: INode = {
	id: 'credentials-mock',
	name: '',
	type: MOCK_NODE_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const mockNodeTypes = new HarnessNodeTypes().add(MOCK_NODE_TYPE, {
	description: {
		displayName: 'Mock',
		name: MOCK_NODE_TYPE,
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: [],
		outputs: [],
		properties: [],
	},
});

/**
 * ICredentialsHelper for tests. Only storage is stubbed (plain data per credential type,
 * no DB, no encryption). Everything n8n does to credential data on its way to a request
 * is done the way n8n's CLI CredentialsHelper does it:
 * - getDecrypted applies the type's property defaults (NodeHelpers.getNodeParameters) and
 *   resolves `={{ }}` expressions in the stored values;
 * - authenticate applies a function `authenticate`, or a generic one by resolving each
 *   key/value with `workflow.expression.getSimpleParameterValue(node, v, 'internal',
 *   { $credentials })` and writing it into `requestOptions[headers|qs|body|auth]`;
 * - preAuthentication runs the type's `preAuthentication` when its expirable hidden
 *   property is empty/expired or the credential is being tested, and persists the result.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	private readonly store = new Map<string, ICredentialDataDecryptedObject>();

	constructor(credentialTypes: ICredentialType[] = [], data: Record<string, ICredentialDataDecryptedObject> = {}) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
		for (const [type, values] of Object.entries(data)) this.setCredentials(type, values);
	}

	addCredentialType(type: ICredentialType) {
		this.types.set(type.name, type);
	}

	setCredentials(type: string, data: ICredentialDataDecryptedObject) {
		this.store.set(type, structuredClone(data));
	}

	/** What is stored now (e.g. after a preAuthentication refreshed a token). */
	getStored(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.store.get(type);
		return data && structuredClone(data);
	}

	getCredentialType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${name}": pass it in credentialTypes`);
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getCredentialType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			}
			requestOptions.headers ??= {};
			const resolve = (value: string) => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			for (const [target, entries] of Object.entries(authenticate.properties)) {
				const options = requestOptions as unknown as Record<string, Record<string, string>>;
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					options[target] ??= {};
					options[target][resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getCredentialType(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') return undefined;

		// Same marker n8n uses to recognise the temporary node of a credential test.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			this.store.set(typeName, { ...(this.store.get(typeName) ?? {}), ...output } as ICredentialDataDecryptedObject);
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.getCredentialType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new PlainCredentials(nodeCredentials, type, this.requireStored(type));
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.requireStored(type);
		if (raw === true) return stored;
		return await this.applyDefaultsAndResolve(additionalData, stored, type, mode, executeData, expressionResolveValues);
	}

	/** n8n's `applyDefaultsAndOverwrites`, minus overwrites (none configured in tests). */
	async applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		let decrypted = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (data.oauthTokenData !== undefined) decrypted.oauthTokenData = data.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			try {
				decrypted = workflow.expression.getParameterValue(
					decrypted as INodeParameters,
					runExecutionData,
					runIndex,
					itemIndex,
					node.name,
					connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decrypted,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				e.message += ' [Error resolving credentials]';
				throw e;
			}
			return decrypted;
		}

		const workflow = new Workflow({ nodes: [{ ...mockNode }], connections: {}, active: false, nodeTypes: mockNodeTypes });
		await workflow.expression.acquireIsolate();
		try {
			return workflow.expression.getComplexParameterValue(
				mockNode,
				decrypted as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decrypted,
			) as ICredentialDataDecryptedObject;
		} finally {
			await workflow.expression.releaseIsolate();
		}
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.setCredentials(type, data);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.setCredentials(type, { ...this.requireStored(type), oauthTokenData: data.oauthTokenData });
	}

	private requireStored(type: string): ICredentialDataDecryptedObject {
		const data = this.store.get(type);
		if (!data) throw new UnexpectedError(`No credentials of type "${type}" given to the test harness`);
		return structuredClone(data);
	}
}
