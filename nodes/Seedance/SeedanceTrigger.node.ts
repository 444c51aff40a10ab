import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { webhookLifecycleWithoutRegistration } from './webhooks/lifecycle';

import { triggerProperties } from './trigger/description';
import { handleDelivery } from './trigger/handleDelivery';

export class SeedanceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Seedance Trigger',
		name: 'seedanceTrigger',
		icon: { light: 'file:seedance.svg', dark: 'file:seedance.dark.svg' },
		group: ['trigger'],
		// Both versions behave the same. n8n (2.41.1 and 1.123) evaluates its Webhook node's old
		// `options.binaryData` expression for every request to any webhook node of version 1, through
		// its expression engine: version 2 is spared that cost on each delivery.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Apiframe reports a Seedance job event',
		defaults: { name: 'Seedance Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'seedanceApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'seedance',
			},
		],
		properties: triggerProperties,
	};

	// Apiframe has no API to register webhooks: the URL travels with each job instead.
	webhookMethods = webhookLifecycleWithoutRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}
}
