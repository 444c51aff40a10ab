import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Seedance } from '../../nodes/Seedance/Seedance.node';
import { SeedanceTrigger } from '../../nodes/Seedance/SeedanceTrigger.node';
import { buildGenerateRequest } from '../../nodes/Seedance/request/buildRequest';

const folder = path.join(__dirname, '..', '..', 'examples');
const seedanceProperties = new Seedance().getNodeType().description.properties;
/** n8n adds these two to the variant of a `usableAsTool` node that AI Agents call. */
const toolProperties: INodeProperties[] = [
	{ displayName: 'Tool Description', name: 'descriptionType', type: 'options', default: 'auto' },
	{ displayName: 'Description', name: 'toolDescription', type: 'string', default: '' },
];
const ours: Record<string, INodeProperties[]> = {
	'n8n-nodes-seedance.seedance': seedanceProperties,
	'n8n-nodes-seedance.seedanceTool': [...toolProperties, ...seedanceProperties],
	'n8n-nodes-seedance.seedanceTrigger': new SeedanceTrigger().description.properties,
};

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	webhookId?: string;
}

const examples = readdirSync(folder)
	.filter((file) => file.endsWith('.json'))
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as { nodes: WorkflowNode[]; connections: Record<string, unknown> } }));

describe('example workflows', () => {
	it('exist', () => {
		expect(examples.length).toBeGreaterThanOrEqual(4);
	});

	it('chain the story clip to clip: each extension continues the previous job and shot 1 returns its last frame', () => {
		const story = examples.find((e) => e.file === 'three-shot-story.json')!.workflow.nodes;
		const shots = story.filter((node) => node.type === 'n8n-nodes-seedance.seedance');
		expect((shots[0].parameters.videoSettings as IDataObject).returnLastFrame).toBe(true);
		expect(shots.slice(1).map((shot) => [shot.parameters.inputMode, shot.parameters.continueFrom])).toEqual([
			['extend', '={{ $json.jobId }}'],
			['extend', '={{ $json.jobId }}'],
		]);
	});

	it.each(examples.map(({ file, workflow }) => [file, workflow] as const))(
		'%s only uses parameters our nodes have, and connects nodes that exist',
		(_file, workflow) => {
			const names = new Set(workflow.nodes.map((node) => node.name));
			for (const from of Object.keys(workflow.connections)) expect(names.has(from)).toBe(true);
			for (const node of workflow.nodes.filter((candidate) => ours[candidate.type])) {
				const properties = ours[node.type];
				for (const [key, value] of Object.entries(node.parameters)) {
					const property = properties.find((candidate) => candidate.name === key);
					expect(property).toBeDefined();
					if (property?.type === 'collection' && value && typeof value === 'object') {
						const options = (property.options ?? []) as INodeProperties[];
						for (const option of Object.keys(value)) expect(options.map((o) => o.name)).toContain(option);
					}
				}
			}
		},
	);

	it('submit to the URL the trigger example listens on, with settings the model accepts', () => {
		const submit = examples
			.flatMap((e) => e.workflow.nodes)
			.find((node) => node.type === 'n8n-nodes-seedance.seedance' && (node.parameters.options as IDataObject)?.notifyWebhookUrl)!;
		const trigger = examples.flatMap((e) => e.workflow.nodes).find((node) => node.type === 'n8n-nodes-seedance.seedanceTrigger')!;
		const options = submit.parameters.options as Record<string, string>;
		expect(options.notifyWebhookUrl).toMatch(new RegExp(`/webhook/${trigger.webhookId}/seedance$`));
		const settings = submit.parameters.videoSettings as Record<string, unknown>;
		const built = buildGenerateRequest({
			model: submit.parameters.model as string,
			prompt: 'a row prompt',
			inputMode: 'text',
			settings,
			webhookUrl: options.notifyWebhookUrl,
		});
		expect(built.ok).toBe(true);
	});

	it('let the agent fill in the prompt, duration and resolution, and keep the rest fixed and valid', () => {
		const tool = examples
			.flatMap((e) => e.workflow.nodes)
			.find((node) => node.type === 'n8n-nodes-seedance.seedanceTool')!;
		const settings = tool.parameters.videoSettings as Record<string, unknown>;
		const fromAi = (value: unknown) => /^=\{\{ \$fromAI\('(\w+)'/.exec(String(value))?.[1];
		expect([fromAi(tool.parameters.prompt), fromAi(settings.duration), fromAi(settings.resolution)]).toEqual([
			'prompt',
			'duration',
			'resolution',
		]);
		expect(fromAi(tool.parameters.model)).toBeUndefined();
		expect(tool.parameters.waitMethod).toBe('poll');
		// What a model following the descriptions would send.
		const built = buildGenerateRequest({
			model: tool.parameters.model as string,
			prompt: 'A paper boat drifts down a rainy street',
			inputMode: 'text',
			settings: { ...settings, duration: 6, resolution: '720p' },
		});
		expect(built.ok).toBe(true);
	});
});
