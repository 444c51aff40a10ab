import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { fetchAccount } from '../../../transport/apiframe';
import { executePerItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName: 'Returns the Apiframe account behind the credential: user, team, credit balance and plan',
		name: 'accountNotice',
		type: 'notice',
		default: '',
	},
];

const displayOptions = { show: { resource: ['account'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The account as output: the key's prefix, part of the secret itself, is left out. */
function flatten(me: IDataObject): IDataObject {
	const team = (me.team ?? {}) as IDataObject;
	const user = (me.user ?? {}) as IDataObject;
	const output: IDataObject = {
		credits: team.credits ?? null,
		plan: team.plan ?? null,
		teamName: team.name ?? null,
		email: user.email ?? null,
		...me,
	};
	if (me.apiKey && typeof me.apiKey === 'object' && !Array.isArray(me.apiKey)) {
		const { prefix: _prefix, ...apiKey } = me.apiKey as IDataObject;
		output.apiKey = apiKey;
	}
	return output;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executePerItem(this, async (itemIndex) =>
		flatten((await fetchAccount.call(this, itemIndex, this.getExecutionCancelSignal?.())) as IDataObject),
	);
}
