import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeCredentials,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	Workflow,
} from 'n8n-workflow';

import { HarnessNodeTypes, latestVersionOf } from './node-types';

export interface NodeUnderTestOptions {
	/** An instance of the node class (INodeType or a VersionedNodeType). */
	nodeType: INodeType | IVersionedNodeType;
	/** The type name as it appears in a workflow, e.g. `n8n-nodes-seedance.seedance`. */
	typeName: string;
	/** Defaults to the type's default/latest version. */
	typeVersion?: number;
	/** Defaults to `Node Under Test`. */
	nodeName?: string;
	/** The node's parameters exactly as stored in a workflow (may contain `={{ }}`). */
	parameters?: INodeParameters;
	/** Plain credential data keyed by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Credential type instances; their `authenticate`, `test`, defaults… are honoured. */
	credentialTypes?: ICredentialType[];
	/** Workflow static data; updated in place (JSON round-trip, as n8n persists it). */
	staticData?: IDataObject;
}

/** The INode a workflow would hold for the node under test. */
export function buildNodeUnderTest(options: NodeUnderTestOptions, extra: Partial<INode> = {}): INode {
	const credentials: INodeCredentials = {};
	for (const type of Object.keys(options.credentials ?? {})) {
		credentials[type] = { id: `harness-${type}`, name: `${type} (harness)` };
	}
	return {
		id: 'node-under-test',
		name: options.nodeName ?? 'Node Under Test',
		type: options.typeName,
		typeVersion: options.typeVersion ?? latestVersionOf(options.nodeType),
		position: [250, 0],
		parameters: structuredClone(options.parameters ?? {}),
		credentials,
		...extra,
	};
}

/**
 * Records what the node under test throws. n8n's engine keeps only a plain-object copy of a
 * node error in the run data; tests want the real NodeApiError/NodeOperationError.
 * The node type is wrapped (prototype chain), never modified.
 */
export class RecordingNodeTypes extends HarnessNodeTypes {
	readonly thrown: unknown[] = [];

	private readonly wrapped = new WeakMap<INodeType, INodeType>();

	constructor(private readonly recordedType: string) {
		super();
	}

	override getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = super.getByNameAndVersion(nodeType, version);
		if (nodeType !== this.recordedType || typeof type.execute !== 'function') return type;
		let wrapped = this.wrapped.get(type);
		if (!wrapped) {
			const execute = type.execute;
			const thrown = this.thrown;
			wrapped = Object.create(type) as INodeType;
			wrapped.execute = async function (this: unknown, ...args: unknown[]) {
				try {
					return await (execute as (...a: unknown[]) => Promise<never>).apply(this, args);
				} catch (error) {
					thrown.push(error);
					throw error;
				}
			} as INodeType['execute'];
			this.wrapped.set(type, wrapped);
		}
		return wrapped;
	}
}

/** Copies the workflow's static data back into `target` if a node changed it, as n8n saves it. */
export function persistStaticData(workflow: Workflow, target: IDataObject | undefined) {
	if (!target || workflow.staticData.__dataChanged !== true) return;
	const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	for (const key of Object.keys(target)) delete target[key];
	Object.assign(target, saved);
}

/** Static data as n8n loads it from the database: a fresh JSON copy. */
export function loadStaticData(source: IDataObject | undefined): IDataObject {
	return source ? (JSON.parse(JSON.stringify(source)) as IDataObject) : {};
}
