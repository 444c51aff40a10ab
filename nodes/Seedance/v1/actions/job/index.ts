import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as list from './list.operation';

export { get, list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a job',
				description: 'Read a job by its ID, optionally wait for it and download its video',
			},
			{
				name: 'List',
				value: 'list',
				action: 'List jobs',
				description: "The account's jobs, newest first, by status, model and creation time: how to find the jobs of a run that crashed or was cancelled",
			},
		],
		default: 'get',
	},
	...get.description,
	...list.description,
];
