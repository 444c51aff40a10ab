import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { webhookLifecycleWithoutRegistration } from '../webhooks/lifecycle';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { handleCallback } from './actions/video/callback/handleCallback';

/** Version 1 of the Seedance node; its name, icon and description come from Seedance.node.ts. */
export class SeedanceV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = { ...baseDescription, ...versionDescription };
	}

	// n8n never calls these: on activation it registers only a node's ordinary webhooks and skips
	// resume webhooks (restartWebhook), and Apiframe has nothing to register, as each job carries its
	// own resume URL. n8n's package scan requires a node that declares a webhook to declare its
	// lifecycle, so they say "already there" and do nothing.
	webhookMethods = webhookLifecycleWithoutRegistration;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback.call(this);
	}
}
