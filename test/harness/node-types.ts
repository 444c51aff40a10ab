import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** A minimal INodeTypes registry, the role n8n's NodeTypes/LoadNodesAndCredentials play. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	add(typeName: string, type: INodeType | IVersionedNodeType): this {
		this.types.set(typeName, type);
		return this;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}" in test harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name }]));
	}
}

/** The version a new node of this type gets in the editor: the default (or highest) one. */
export function latestVersionOf(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description as INodeTypeDescription;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/**
 * Harness start node: emits the items it was started with, unchanged. It plays the
 * role of a trigger whose output is pinned, so test items (json + binary) enter the
 * workflow through n8n's normal connection handling.
 */
export const HARNESS_INPUT_TYPE = 'n8nHarness.input';

export const harnessInputNodeType: INodeType = {
	description: {
		displayName: 'Harness Input',
		name: HARNESS_INPUT_TYPE,
		group: ['trigger'],
		version: 1,
		description: 'Emits the items injected by the test harness',
		defaults: { name: 'Harness Input' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute() {
		return [this.getInputData()];
	},
};
