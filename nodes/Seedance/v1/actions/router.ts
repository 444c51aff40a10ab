import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as account from './account';
import * as asset from './asset';
import * as job from './job';
import type { SeedanceType } from './node.type';
import * as video from './video';

/**
 * Hands the whole input to the chosen operation: Generate and Job → Get work on all items at once,
 * and every operation's per-item steps run through the one loop of itemRunner.ts.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	const seedance = { resource, operation } as SeedanceType;

	switch (seedance.resource) {
		case 'video':
			return [await video[seedance.operation].execute.call(this)];
		case 'job':
			return [await job[seedance.operation].execute.call(this)];
		case 'account':
			return [await account[seedance.operation].execute.call(this)];
		case 'asset':
			return [await asset[seedance.operation].execute.call(this)];
		default:
			throw new NodeOperationError(this.getNode(), `The resource "${resource}" is not supported`);
	}
}
