import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { Seedance } from '../../../nodes/Seedance/Seedance.node';
import { SeedanceTrigger } from '../../../nodes/Seedance/SeedanceTrigger.node';

// n8n reads a node's codex (its categories and documentation links in the nodes panel) from the
// .node.json beside the node's file.
const root = path.join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; homepage: string };
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface Codex {
	node: string;
	nodeVersion: string;
	codexVersion: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	resources: Record<'primaryDocumentation' | 'credentialDocumentation', Array<{ url: string }>>;
}

/** The anchors GitHub gives README headings. */
const readmeAnchors = new Set(
	[...readme.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) =>
		heading
			.toLowerCase()
			.replace(/[^\p{L}\p{N} _-]/gu, '')
			.replace(/ /g, '-'),
	),
);

const nodes: Array<[string, INodeType | IVersionedNodeType]> = [
	['Seedance', new Seedance()],
	['SeedanceTrigger', new SeedanceTrigger()],
];

describe.each(nodes)('%s.node.json', (file, node) => {
	const codex = JSON.parse(readFileSync(path.join(root, 'nodes', 'Seedance', `${file}.node.json`), 'utf8')) as Codex;

	it("names the node by its package and type name, in n8n's codex format", () => {
		expect(codex).toMatchObject({
			node: `${pkg.name}.${node.description.name}`,
			nodeVersion: '1.0',
			codexVersion: '1.0',
		});
		expect(codex.categories.length).toBeGreaterThan(0);
	});

	// n8n 2.x's nodes panel leaves a node of the AI category out of its search (outside the AI
	// panel) unless it is an AI root node: searching "Seedance" then finds nothing.
	it('is found by the nodes panel search: an AI node is a root node, as n8n\'s own vendor nodes are', () => {
		if (codex.categories.includes('AI')) expect(codex.subcategories?.AI).toContain('Root Nodes');
	});

	it('links to sections of the README on the package homepage', () => {
		const home = pkg.homepage.replace(/#.*$/, '');
		const urls = [...codex.resources.primaryDocumentation, ...codex.resources.credentialDocumentation].map(({ url }) => url);
		expect(urls).toHaveLength(2);
		for (const url of urls) {
			const [page, anchor] = url.split('#');
			expect(page).toBe(home);
			expect(readmeAnchors).toContain(anchor);
		}
	});
});
