import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';

import { SeedanceV1 } from './v1/SeedanceV1';

/**
 * The Seedance node, one class per version: a breaking change becomes a new version, and saved
 * workflows keep the version they were built with.
 */
export class Seedance extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Seedance',
			name: 'seedance',
			icon: { light: 'file:seedance.svg', dark: 'file:seedance.dark.svg' },
			group: ['transform'],
			description: "Generate videos with ByteDance's Seedance 2.0 models on Apiframe",
			defaultVersion: 1,
		};

		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new SeedanceV1(baseDescription),
		};

		super(nodeVersions, baseDescription);
	}
}
