import type { INodeProperties } from 'n8n-workflow';

import * as estimate from './estimate.operation';
import * as generate from './generate.operation';

export { estimate, generate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Estimate',
				value: 'estimate',
				action: 'Estimate the cost of a video',
				description: 'Estimate the credits Generate would spend on each item, and whether the balance covers the run, without submitting anything',
			},
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate a video',
				description: 'Create a video from a prompt, images or reference media',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...estimate.description,
];
