import { readFileSync } from 'node:fs';
import path from 'node:path';

import { findCycles, forbiddenImports, moduleGraph, moduleOf, readImports, type ModuleGraph } from './architecture';

const ROOT = path.join(__dirname, '..', '..');
const FOLDERS = ['nodes', 'credentials'];
const imports = readImports(ROOT, FOLDERS);

function graphOf(edges: Record<string, string[]>): ModuleGraph {
	return new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));
}

describe('the import structure of nodes/ and credentials/', () => {
	it('is read from the sources', () => {
		expect(imports.length).toBeGreaterThan(50);
		expect(imports).toContainEqual({
			from: 'nodes/Seedance/jobs/settle.ts',
			specifier: '../transport/responses',
			resolved: 'nodes/Seedance/transport/responses.ts',
		});
	});

	it('imports only its own files, n8n-workflow, zod and node:crypto', () => {
		expect(forbiddenImports(imports, FOLDERS)).toEqual([]);
	});

	it('has no import cycle between the folders of a node', () => {
		expect(findCycles(moduleGraph(imports))).toEqual([]);
	});

	it('imports in one direction: node classes, then actions and trigger, then jobs, then transport', () => {
		const graph = moduleGraph(imports);
		const uses = (from: string, to: string) => graph.get(`nodes/Seedance/${from}`)?.has(`nodes/Seedance/${to}`) ?? false;
		expect(uses('v1', 'jobs')).toBe(true);
		expect(uses('jobs', 'transport')).toBe(true);
		expect(uses('transport', 'jobs')).toBe(false);
		expect(graph.has('nodes/Seedance/helpers')).toBe(false);
	});
});

/** The layers of docs/architecture.md, top first: each a list of folders of nodes/Seedance/ ('.' for the node classes). */
function documentedLayers(): string[][] {
	const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
	const block = /```layers\n([\s\S]*?)```/.exec(doc);
	if (!block) throw new Error('docs/architecture.md has no layers block');
	return block[1]
		.trim()
		.split('\n')
		.map((line) => line.split(',').map((folder) => folder.trim()));
}

describe('the layers of nodes/Seedance/', () => {
	const layers = documentedLayers();
	const layerOf = new Map(layers.flatMap((folders, rank) => folders.map((folder) => [folder === '.' ? 'nodes/Seedance' : `nodes/Seedance/${folder}`, rank])));
	const graph = moduleGraph(imports);
	const modules = [...graph.keys()].filter((module) => module.startsWith('nodes/Seedance'));

	it('give every folder of the node a layer', () => {
		expect(modules.filter((module) => !layerOf.has(module))).toEqual([]);
	});

	it('are imported downwards only', () => {
		const upwards = modules.flatMap((from) =>
			[...(graph.get(from) ?? [])]
				.filter((to) => to.startsWith('nodes/Seedance') && (layerOf.get(to) ?? -1) <= (layerOf.get(from) ?? -1))
				.map((to) => `${from} → ${to}`),
		);
		expect(upwards).toEqual([]);
	});

	it('keep the model table and the schemas free of n8n, transport and operations', () => {
		expect([...(graph.get('nodes/Seedance/models') ?? [])]).toEqual([]);
		expect([...(graph.get('nodes/Seedance/schemas') ?? [])]).toEqual(['nodes/Seedance/models']);
	});
});

describe('the checks themselves', () => {
	it('find a cycle between folders, and every folder on it', () => {
		const graph = graphOf({ transport: ['base'], jobs: ['transport', 'media'], media: ['transport', 'jobs'], base: [] });
		expect(findCycles(graph)).toEqual([['jobs', 'media', 'jobs']]);
		expect(findCycles(graphOf({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual([['a', 'b', 'c', 'a']]);
		expect(findCycles(graphOf({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
	});

	it('see a cycle made by a file importing its way back into its own folder', () => {
		const graph = moduleGraph([
			{ from: 'nodes/X/transport/index.ts', specifier: '../jobs/wait', resolved: 'nodes/X/jobs/wait.ts' },
			{ from: 'nodes/X/jobs/wait.ts', specifier: '../transport', resolved: 'nodes/X/transport/index.ts' },
			{ from: 'nodes/X/jobs/settle.ts', specifier: './wait', resolved: 'nodes/X/jobs/wait.ts' },
		]);
		expect(findCycles(graph)).toEqual([['nodes/X/jobs', 'nodes/X/transport', 'nodes/X/jobs']]);
	});

	it('refuse other packages and files outside nodes/ and credentials/', () => {
		const refused = forbiddenImports(
			[
				{ from: 'nodes/X/a.ts', specifier: 'axios' },
				{ from: 'nodes/X/a.ts', specifier: 'node:fs' },
				{ from: 'nodes/X/a.ts', specifier: '../../sandbox', resolved: 'sandbox/index.ts' },
				{ from: 'nodes/X/a.ts', specifier: 'zod' },
				{ from: 'nodes/X/a.ts', specifier: '../../credentials/Api.credentials', resolved: 'credentials/Api.credentials.ts' },
			],
			FOLDERS,
		);
		expect(refused.map(({ specifier }) => specifier)).toEqual(['axios', 'node:fs', '../../sandbox']);
	});

	it('group files by the first folder of their node', () => {
		expect(moduleOf('nodes/Seedance/Seedance.node.ts')).toBe('nodes/Seedance');
		expect(moduleOf('nodes/Seedance/v1/actions/video/generate.operation.ts')).toBe('nodes/Seedance/v1');
		expect(moduleOf('nodes/Seedance/jobs/settle.ts')).toBe('nodes/Seedance/jobs');
		expect(moduleOf('credentials/SeedanceApi.credentials.ts')).toBe('credentials');
	});
});
