import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';

export { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Register media as an asset',
				description: 'Register an image, video or audio with Apiframe for use as asset://ID',
			},
		],
		default: 'create',
	},
	...create.description,
];
