import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as account from './account';
import * as asset from './asset';
import * as job from './job';
import * as video from './video';

/** What Seedance.node.ts states for every version: name, icon, group and description. */
type SharedFields = 'displayName' | 'name' | 'icon' | 'group' | 'description';

/** Version 1 of the Seedance node. */
export const versionDescription: Omit<INodeTypeDescription, SharedFields> = {
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	defaults: { name: 'Seedance' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'seedanceApi', required: true }],
	// Like n8n's Wait node: only reachable at a waiting execution's resume URL, where Apiframe
	// calls back in Video → Generate's Wait Method › Sleep Until Apiframe Calls Back.
	webhooks: [
		{
			name: 'default',
			httpMethod: 'POST',
			responseMode: 'onReceived',
			path: '',
			restartWebhook: true,
		},
	],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Video', value: 'video' },
				{ name: 'Job', value: 'job' },
				{ name: 'Account', value: 'account' },
				{ name: 'Asset', value: 'asset' },
			],
			default: 'video',
		},
		...video.description,
		...job.description,
		...account.description,
		...asset.description,
	],
};
