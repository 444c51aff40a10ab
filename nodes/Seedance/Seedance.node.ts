import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import * as account from './actions/account';
import * as asset from './actions/asset';
import * as job from './actions/job';
import { router } from './actions/router';
import * as video from './actions/video';
import { handleCallback } from './actions/video/callback/handleCallback';

export class Seedance implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Seedance',
		name: 'seedance',
		icon: { light: 'file:seedance.svg', dark: 'file:seedance.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Generate videos with ByteDance's Seedance 2.0 models on Apiframe",
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

	// n8n never calls these: on activation it registers only a node's ordinary webhooks and skips
	// resume webhooks (restartWebhook), and Apiframe has nothing to register, as each job carries its
	// own resume URL. n8n's package scan requires a node that declares a webhook to declare its
	// lifecycle, so they say "already there" and do nothing.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback.call(this);
	}
}
