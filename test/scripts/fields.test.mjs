// @ts-check
// The field reference is the node's description rendered, and the prose quotes no default or limit
// the description contradicts. Needs the build (npm test and npm run test:scripts build first).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { contradictions, FIELDS_FILE, loadBuilt, numberFacts, renderFields, REPO_ROOT } from '../../scripts/docs/fields.mjs';

const built = loadBuilt();
const facts = numberFacts(built);

/** The Markdown a user or contributor reads, the generated reference aside. */
function proseFiles() {
	const docs = fs.existsSync(path.join(REPO_ROOT, 'docs'))
		? fs
				.readdirSync(path.join(REPO_ROOT, 'docs'))
				.filter((name) => name.endsWith('.md'))
				.map((name) => path.join('docs', name))
		: [];
	return ['README.md', 'CONTRIBUTING.md', 'examples/README.md', ...docs]
		.filter((file) => fs.existsSync(path.join(REPO_ROOT, file)) && path.join(REPO_ROOT, file) !== FIELDS_FILE);
}

describe('the field reference', () => {
	test('docs/fields.md is what the built nodes describe (npm run docs:fields rewrites it)', () => {
		assert.equal(fs.readFileSync(FIELDS_FILE, 'utf8'), renderFields(built));
	});

	test('a changed default, limit or option changes the reference', () => {
		const { roleSentence, ...data } = built;
		const changed = { ...structuredClone(data), roleSentence };
		const options = changed.seedance.filter((property) => property.name === 'options');
		for (const collection of options) {
			for (const option of /** @type {import('n8n-workflow').INodeProperties[]} */ (collection.options ?? [])) {
				if (option.name === 'concurrency') Object.assign(option, { default: 5, typeOptions: { minValue: 1, maxValue: 50 } });
			}
		}
		const before = renderFields(built);
		const after = renderFields(changed);
		assert.notEqual(after, before);
		assert.match(after, /\| Options › Concurrency \| `concurrency` \| number \| `5` \| 1 to 50 \|/);
		assert.match(before, /\| Options › Concurrency \| `concurrency` \| number \| `20` \| 1 to 100 \|/);
	});

	test('every operation and every model has its section', () => {
		const rendered = renderFields(built);
		for (const heading of ['Video → Generate', 'Video → Estimate', 'Job → Get', 'Job → List', 'Account → Get', 'Asset → Create']) {
			assert.match(rendered, new RegExp(`^### ${heading}$`, 'm'));
		}
		for (const model of built.models) assert.match(rendered, new RegExp(`\\| ${model.label} \\| \`${model.id}\` \\|`));
	});
});

describe('figures in prose', () => {
	test('the check finds what the old README said about Concurrency and Max Credits', () => {
		const old = [
			'| Concurrency | 5 | How many requests to Apiframe may run at once, from 1 to 50. Lower it if Apiframe answers 429. |',
			'**Concurrency.** *Options › Concurrency* (default 20, at most 100) is the most requests to Apiframe.',
			'*Options › Concurrency* (default 5, at most 50) is the most requests.',
			'*Max Credits for This Run* starts at 500 when added.',
		].join('\n');
		const found = contradictions(old, facts);
		assert.equal(found.length, 5, found.join('\n'));
		assert.match(found.join('\n'), /line 1: Concurrency default is 20 in the node, 5 here/);
		assert.match(found.join('\n'), /line 1: Concurrency maximum is 100 in the node, 50 here/);
		assert.match(found.join('\n'), /line 3: Concurrency default is 20 in the node, 5 here/);
		assert.match(found.join('\n'), /line 4: Max Credits for This Run default is 1000 in the node, 500 here/);
	});

	for (const file of proseFiles()) {
		test(`${file} states no default or limit the node contradicts`, () => {
			assert.deepEqual(contradictions(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), facts), []);
		});
	}
});
