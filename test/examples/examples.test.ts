import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { Seedance } from '../../nodes/Seedance/Seedance.node';
import { SeedanceTrigger } from '../../nodes/Seedance/SeedanceTrigger.node';
import { buildGenerateRequest } from '../../nodes/Seedance/request/buildRequest';

const root = path.join(__dirname, '..', '..');
/**
 * Every workflow the project ships: what a user imports (examples/), the demos `npm start` imports
 * (scripts/start/demos/), and the core-node loop the bench compares the node with.
 */
const workflowFiles = [
	...['examples', path.join('scripts', 'start', 'demos')].flatMap((folder) =>
		readdirSync(path.join(root, folder))
			.filter((file) => file.endsWith('.json'))
			.map((file) => path.join(folder, file)),
	),
	path.join('scripts', 'bench', 'without-this-node-core-loop.json'),
];
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

interface Workflow {
	nodes: WorkflowNode[];
	connections: Record<string, { main?: Array<Array<{ node: string }>> }>;
}

const examples = workflowFiles.map((file) => ({
	file: file.split(path.sep).join('/'),
	workflow: JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Workflow,
}));

function example(file: string): Workflow {
	const found = examples.find((e) => e.file === `examples/${file}`);
	if (!found) throw new Error(`examples/${file} is missing`);
	return found.workflow;
}

/** The names of the nodes `from` feeds, on any of its outputs. */
function next(workflow: Workflow, from: string): string[] {
	return (workflow.connections[from]?.main ?? []).flat().map(({ node }) => node);
}

describe('example workflows', () => {
	it('exist: the examples, the demos and the core-node loop', () => {
		expect(examples.filter((e) => e.file.startsWith('examples/')).length).toBeGreaterThanOrEqual(6);
		expect(examples.filter((e) => e.file.startsWith('scripts/start/demos/'))).toHaveLength(3);
		expect(examples.map((e) => e.file)).toContain('scripts/bench/without-this-node-core-loop.json');
	});

	it('are each described in examples/README.md, which names no file that is missing', () => {
		const readme = readFileSync(path.join(root, 'examples', 'README.md'), 'utf8');
		const named = new Set([...readme.matchAll(/\(([\w.-]+\.json)\)/g)].map(([, file]) => file));
		const shipped = examples.filter((e) => e.file.startsWith('examples/')).map((e) => e.file.slice('examples/'.length));
		expect([...named].sort()).toEqual([...shipped].sort());
	});

	it('make a first clip from a manual run: one text-to-video job, waited for and downloaded, valid for its model', () => {
		const first = example('first-clip.json');
		const seedance = first.nodes.filter((node) => node.type === 'n8n-nodes-seedance.seedance');
		expect(seedance).toHaveLength(1);
		const [clip] = seedance;
		expect(next(first, 'Start')).toEqual([clip.name]);
		expect(clip.parameters).toMatchObject({ resource: 'video', operation: 'generate', inputMode: 'text', waitForCompletion: true, downloadVideo: true });
		const built = buildGenerateRequest({
			model: clip.parameters.model as string,
			prompt: clip.parameters.prompt as string,
			inputMode: 'text',
			settings: clip.parameters.videoSettings as Record<string, unknown>,
		});
		expect(built.ok).toBe(true);
	});

	it("write each clip's link back to its sheet row, found by the jobId the submit wrote there", () => {
		const submit = example('spreadsheet-to-seedance.json').nodes.find((node) => node.type === 'n8n-nodes-base.googleSheets' && node.parameters.operation === 'update')!;
		expect((submit.parameters.columns as IDataObject).value).toMatchObject({ jobId: '={{ $json.jobId }}' });
		const deliver = example('seedance-trigger-to-drive-and-slack.json');
		const upload = deliver.nodes.find((node) => node.type === 'n8n-nodes-base.googleDrive')!;
		const writeBack = deliver.nodes.find((node) => next(deliver, upload.name).includes(node.name) && node.type === 'n8n-nodes-base.googleSheets')!;
		expect(writeBack).toBeDefined();
		const columns = writeBack.parameters.columns as { value: Record<string, string>; matchingColumns: string[] };
		expect(writeBack.parameters.operation).toBe('update');
		expect(columns.matchingColumns).toEqual(['jobId']);
		expect(columns.value.jobId).toContain("$('Seedance Trigger').item.json.jobId");
		expect(columns.value.videoLink).toContain(`$('${upload.name}').item.json.id`);
		// The same sheet and tab as the rows were read from.
		expect(writeBack.parameters.documentId).toEqual(submit.parameters.documentId);
		expect(writeBack.parameters.sheetName).toEqual(submit.parameters.sheetName);
	});

	it('tag the clip to edit with the Clip to Edit role', () => {
		const edit = example('edit-clip-from-drive.json').nodes.find((node) => node.type === 'n8n-nodes-seedance.seedance')!;
		expect(edit.parameters.inputMode).toBe('edit');
		const entries = (edit.parameters.referenceVideos as { entries: Array<{ url: string; role?: string }> }).entries;
		expect(entries.map((entry) => entry.role)).toEqual(['edit']);
	});

	it("cap what the agent's one call may spend with Max Credits", () => {
		const tool = example('chat-agent-makes-a-clip.json').nodes.find((node) => node.type === 'n8n-nodes-seedance.seedanceTool')!;
		const maxCredits = (tool.parameters.options as IDataObject).maxCredits;
		expect(typeof maxCredits).toBe('number');
		expect(maxCredits).toBeGreaterThan(0);
	});

	it('chain the story clip to clip: each extension continues the previous job and shot 1 returns its last frame', () => {
		const story = example('three-shot-story.json').nodes;
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
