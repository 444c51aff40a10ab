import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	video: 'generate' | 'estimate';
	job: 'get' | 'list';
	account: 'get';
	asset: 'create';
};

export type SeedanceType = AllEntities<NodeMap>;
