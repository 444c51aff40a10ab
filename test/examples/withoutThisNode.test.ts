import { readFileSync } from 'node:fs';
import path from 'node:path';

import { validateGenerateVideoRequest } from '../../sandbox/openapi';

/**
 * scripts/bench/without-this-node-core-loop.json: the workflow an n8n user builds from core nodes
 * instead of this package, kept as the benchmark's baseline. Its run in real n8n is in the e2e
 * suite and `npm run bench`; here, that what it sends and where it loops are right.
 */
interface LoopNode {
	name: string;
	type: string;
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
}
type Connections = Record<string, { main: Array<Array<{ node: string }>> }>;

const workflow = JSON.parse(
	readFileSync(path.join(__dirname, '..', '..', 'scripts', 'bench', 'without-this-node-core-loop.json'), 'utf8'),
) as { nodes: LoopNode[]; connections: Connections };
const node = (name: string) => workflow.nodes.find((candidate) => candidate.name === name)!;
const targets = (from: string, output: number) => workflow.connections[from].main[output].map((to) => to.node);

/** Evaluates an n8n `={{ … }}` expression against one item's JSON (the examples use no other variable). */
function evaluate(expression: string, json: unknown): unknown {
	const body = /^=\{\{([\s\S]*)\}\}$/.exec(expression)?.[1];
	if (body === undefined) throw new Error(`not an expression: ${expression}`);
	return new Function('$json', `return (${body});`)(json);
}
/** A URL field: an expression, or a fixed text whose `{{ … }}` parts are evaluated. */
function urlOf(value: string, json: unknown): string {
	if (value.startsWith('={{')) return String(evaluate(value, json));
	return value.replace(/^=/, '').replace(/\{\{([\s\S]*?)\}\}/g, (_, inner: string) => String(evaluate(`={{${inner}}}`, json)));
}

describe('the "without this node" core-node loop', () => {
	const row = { row_number: 7, prompt: 'A lighthouse at dusk' };
	const jobId = '3f1c2b8e-5a4d-4c7b-9e21-0a6b8c9d1e2f';

	it('uses only n8n core nodes, and asks the user for their own Apiframe key', () => {
		expect(workflow.nodes.every((candidate) => candidate.type.startsWith('n8n-nodes-base.'))).toBe(true);
		for (const name of ['Submit job', 'Read job']) {
			expect(node(name).parameters.genericAuthType).toBe('httpHeaderAuth');
			expect(node(name).credentials).toEqual({ httpHeaderAuth: { id: '', name: expect.any(String) } });
		}
		// Result URLs are public CDN links: the key is not sent with the download.
		expect(node('Download video').credentials).toBeUndefined();
	});

	it('submits each row once, with a body the API accepts and an Idempotency-Key of its own', () => {
		const submit = node('Submit job').parameters;
		expect([submit.method, submit.url]).toEqual(['POST', 'https://api.apiframe.ai/v2/videos/generate']);
		const body = JSON.parse(String(evaluate(submit.jsonBody, row)));
		expect(validateGenerateVideoRequest(body).errors).toEqual([]);
		expect(body.prompt).toBe(row.prompt);
		const [header] = submit.headerParameters.parameters;
		expect(header.name).toBe('Idempotency-Key');
		expect(evaluate(header.value, row)).not.toBe(evaluate(header.value, { ...row, row_number: 8 }));
	});

	it('reads the job both from the submit answer and from the job it read before', () => {
		const url = node('Read job').parameters.url as string;
		expect(urlOf(url, { jobId, status: 'QUEUED' })).toBe(`https://api.apiframe.ai/v2/jobs/${jobId}`);
		expect(urlOf(url, { id: jobId, status: 'PROCESSING' })).toBe(`https://api.apiframe.ai/v2/jobs/${jobId}`);
	});

	it('loops back to Wait until the job has finished, and downloads only completed videos as files', () => {
		expect(targets('Submit job', 0)).toEqual(['Wait']);
		expect(targets('Wait', 0)).toEqual(['Read job']);
		expect(targets('Read job', 0)).toEqual(['Finished?']);
		expect(targets('Finished?', 0)).toEqual(['Completed?']);
		expect(targets('Finished?', 1)).toEqual(['Wait']);
		expect(targets('Completed?', 0)).toEqual(['Download video']);

		const finished = node('Finished?').parameters.conditions;
		expect(finished.combinator).toBe('and');
		expect(finished.conditions.map((c: any) => [c.leftValue, c.operator.operation, c.rightValue])).toEqual([
			['={{ $json.status }}', 'notEquals', 'QUEUED'],
			['={{ $json.status }}', 'notEquals', 'PROCESSING'],
		]);
		const completed = node('Completed?').parameters.conditions.conditions;
		expect(completed.map((c: any) => [c.leftValue, c.operator.operation, c.rightValue])).toEqual([['={{ $json.status }}', 'equals', 'COMPLETED']]);

		const download = node('Download video').parameters;
		expect(download.options.response.response.responseFormat).toBe('file');
		const video = `https://cdn.apiframe.ai/${jobId}.mp4`;
		expect(urlOf(download.url, { status: 'COMPLETED', result: { videoUrl: video } })).toBe(video);
		expect(urlOf(download.url, { status: 'COMPLETED', result: video })).toBe(video);
	});
});
