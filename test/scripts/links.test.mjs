// @ts-check
// Every relative link in the Markdown a user or contributor reads leads somewhere: to a file of the
// repository and, with a #fragment, to a heading or an <a id> of that file. The codex files' links
// into the README (n8n's "Docs" link on each node) are held to the same rule.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** @param {string} dir @returns {string[]} the Markdown files below `dir`, relative to ROOT */
function markdownIn(dir) {
	const full = path.join(ROOT, dir);
	if (!fs.existsSync(full)) return [];
	return fs
		.readdirSync(full)
		.filter((name) => name.endsWith('.md'))
		.map((name) => path.join(dir, name));
}

const FILES = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'sandbox/README.md', 'examples/README.md', ...markdownIn('docs')].filter(
	(file) => fs.existsSync(path.join(ROOT, file)),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. @param {string} heading */
function slug(heading) {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[`*_]/g, '')
		.replace(/[^\p{L}\p{N} -]/gu, '')
		.replace(/ /g, '-');
}

/** @type {Map<string, Set<string>>} */
const anchorCache = new Map();

/** The anchors a Markdown file offers: its headings (numbered when repeated) and its <a id>s. @param {string} file */
function anchorsOf(file) {
	const cached = anchorCache.get(file);
	if (cached) return cached;
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
	const anchors = new Set();
	/** @type {Map<string, number>} */
	const seen = new Map();
	for (const [, heading] of text.matchAll(/^#{1,6} +(.+)$/gm)) {
		const base = slug(heading);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const [, id] of text.matchAll(/<a id="([^"]+)"/g)) anchors.add(id);
	anchorCache.set(file, anchors);
	return anchors;
}

/** Whether `target` (a path relative to `from`'s folder, maybe with a #fragment) resolves. @param {string} from @param {string} target */
function brokenReason(from, target) {
	const [rawPath, fragment] = target.split('#');
	const file = rawPath === '' ? from : path.normalize(path.join(path.dirname(from), decodeURIComponent(rawPath)));
	if (!fs.existsSync(path.join(ROOT, file))) return `${file} does not exist`;
	if (fragment === undefined || !file.endsWith('.md')) return undefined;
	return anchorsOf(file).has(fragment) ? undefined : `${file} has no anchor #${fragment}`;
}

test('every relative link in the Markdown leads to a file and an anchor that exist', () => {
	const broken = [];
	for (const file of FILES) {
		const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
		for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
			const reason = brokenReason(file, target);
			if (reason) broken.push(`${file}: (${target}): ${reason}`);
		}
	}
	assert.deepEqual(broken, []);
});

test("the nodes' documentation links point at anchors the README has", () => {
	const broken = [];
	for (const codex of ['nodes/Seedance/Seedance.node.json', 'nodes/Seedance/SeedanceTrigger.node.json']) {
		const { resources } = JSON.parse(fs.readFileSync(path.join(ROOT, codex), 'utf8'));
		for (const { url } of Object.values(resources ?? {}).flat()) {
			const fragment = /#readme$/.test(url) ? undefined : /#(.+)$/.exec(url)?.[1];
			if (fragment && !anchorsOf('README.md').has(fragment)) broken.push(`${codex}: ${url}`);
		}
	}
	assert.deepEqual(broken, []);
});
