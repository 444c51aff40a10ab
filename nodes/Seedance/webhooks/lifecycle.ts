import type { IHookFunctions } from 'n8n-workflow';

/**
 * The webhook lifecycle of both nodes: Apiframe has no API to register webhooks, since each job
 * carries its own callback URL, so every step says "already there" and calls nobody. n8n's package
 * scan requires a node that declares a webhook to declare its lifecycle.
 */
export const webhookLifecycleWithoutRegistration = {
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
