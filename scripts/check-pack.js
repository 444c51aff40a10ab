#!/usr/bin/env node
// @ts-check
// Checks what `npm pack` would publish: exactly the built nodes, credential, icons and codex files,
// no runtime dependencies, and compiled code that requires only what n8n Cloud allows a community node.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const problems = [];

if (Object.keys(pkg.dependencies || {}).length > 0) {
	problems.push(`package.json has runtime dependencies: ${Object.keys(pkg.dependencies).join(', ')}`);
}
const peers = Object.keys(pkg.peerDependencies || {});
if (peers.join(',') !== 'n8n-workflow') problems.push(`peerDependencies should be n8n-workflow alone, not ${peers.join(', ')}`);

const [report] = /** @type {{ files: { path: string }[], size: number }[]} */ (
	JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }))
);
const files = report.files.map((file) => file.path).sort();

const allowed = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE(\.md)?$/,
	/^index\.js$/,
	/^dist\/nodes\/.+\.js$/,
	/^dist\/credentials\/.+\.js$/,
	/^dist\/(nodes|credentials)\/.+\.svg$/,
	/^dist\/nodes\/.+\.node\.json$/,
];
for (const file of files) {
	if (!allowed.some((pattern) => pattern.test(file))) problems.push(`unexpected file in the package: ${file}`);
}

const declared = [...(pkg.n8n?.nodes || []), ...(pkg.n8n?.credentials || [])];
for (const file of declared) if (!files.includes(file)) problems.push(`declared in package.json but not packed: ${file}`);
// n8n reads a node's codex (categories, documentation links) from the .json beside its .js.
for (const node of pkg.n8n?.nodes || []) {
	const codex = `${node}on`;
	if (!files.includes(codex)) problems.push(`${node} has no codex file ${codex} in the package`);
}

// Every source file under nodes/ and credentials/ must have its compiled file in the package.
for (const dir of ['nodes', 'credentials']) {
	/** @type {(folder: string) => string[]} */
	const walk = (folder) =>
		fs.readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
			const relative = path.posix.join(folder, entry.name);
			if (entry.isDirectory()) return walk(relative);
			return [relative];
		});
	for (const source of walk(dir)) {
		const built = source.endsWith('.ts') ? `dist/${source.replace(/\.ts$/, '.js')}` : `dist/${source}`;
		if (!/\.(ts|svg)$|\.node\.json$/.test(source)) continue;
		if (!files.includes(built)) problems.push(`${source} is not in the package as ${built}`);
	}
}

// n8n Cloud verification: nodes may load n8n-workflow, zod and node:crypto, nothing else.
const allowedModules = new Set(['n8n-workflow', 'zod', 'node:crypto']);
for (const file of files.filter((name) => name.endsWith('.js') && name.startsWith('dist/'))) {
	const code = fs.readFileSync(path.join(root, file), 'utf8');
	for (const match of code.matchAll(/require\((["'])([^"']+)\1\)/g)) {
		const moduleName = match[2];
		if (!moduleName.startsWith('.') && !allowedModules.has(moduleName)) {
			problems.push(`${file} requires "${moduleName}", which a verified community node may not load`);
		}
	}
}

if (problems.length > 0) {
	console.error(`npm pack check failed:\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`npm pack check passed: ${files.length} files (${report.size} bytes packed), no runtime dependencies`);
