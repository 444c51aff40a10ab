#!/usr/bin/env node
// @ts-check
// n8n's community-package scan, run the way n8n runs it when it verifies a package: the scanner's
// own analyzePackage, with inline `eslint-disable` comments ignored, on the source (package.json,
// nodes/, credentials/) and on what `npm pack` publishes (its .js files and package.json).
// n8n refuses a package on any error; this check fails on warnings too.
//
//   node scripts/check-scan.mjs        # this repository (`npm run check:scan` builds it first)
//   node scripts/check-scan.mjs DIR    # another package folder, such as a broken copy in a test

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

import { npmPack } from './n8n/package.mjs';
import {
	analyzePackage,
	assertParserHasTypeScriptApi,
	buildScanConfig,
	scannerRequire,
	SOURCE_FILE_PATTERNS,
	TARBALL_FILE_PATTERNS,
} from './n8n/scanner.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = path.resolve(process.argv[2] ?? repoRoot);

/** @type {(patterns: string[], options: object) => string[]} */
const globSync = scannerRequire('fast-glob').sync;

/**
 * analyzePackage answers pass or fail and shows its findings only when there is an error, so the
 * same files are linted again with the scanner's config and options to count warnings as well.
 * @param {string} dir
 * @param {string[]} patterns
 */
async function lintAsTheScanner(dir, patterns) {
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = globSync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = files.length > 0 ? await eslint.lintFiles(files) : [];
	const formatter = await eslint.loadFormatter('stylish');
	return {
		files: files.length,
		errors: results.reduce((sum, result) => sum + result.errorCount, 0),
		warnings: results.reduce((sum, result) => sum + result.warningCount, 0),
		report: await formatter.format(results),
	};
}

/**
 * Packs the package as `npm publish` would and unpacks the tarball into `into`.
 * @param {string} into
 */
function packAndUnpack(into) {
	const tarball = npmPack(packageDir, into);
	const unpacked = path.join(into, 'package');
	fs.mkdirSync(unpacked);
	const tar = spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1'], { encoding: 'utf8' });
	if (tar.status !== 0) throw new Error(`Could not unpack ${tarball}: ${tar.stderr}`);
	return { tarball: path.basename(tarball), unpacked };
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
let failed = false;
try {
	const typescript = assertParserHasTypeScriptApi();
	const { tarball, unpacked } = packAndUnpack(workDir);
	console.log(`n8n community-package scan of ${packageDir} (inline config off, parser on TypeScript ${typescript})`);

	const legs = [
		{ name: 'source', what: 'package.json, nodes/, credentials/', dir: packageDir, patterns: SOURCE_FILE_PATTERNS },
		{ name: 'tarball', what: `${tarball}: .js files, package.json`, dir: unpacked, patterns: TARBALL_FILE_PATTERNS },
	];
	for (const leg of legs) {
		const verdict = await analyzePackage(leg.dir, leg.patterns);
		const lint = await lintAsTheScanner(leg.dir, leg.patterns);
		console.log(
			`${leg.name} (${leg.what}): ${lint.files} files, ${lint.errors} errors, ${lint.warnings} warnings; ` +
				`n8n's analyzePackage: ${verdict.passed ? 'passed' : `refused (${verdict.message})`}`,
		);
		if (lint.errors + lint.warnings > 0) console.log(lint.report);
		if (lint.files === 0) console.error(`Nothing to scan in the ${leg.name}.`);
		if (verdict.passed !== (lint.errors === 0)) {
			console.error(`analyzePackage and the lint with its config disagree on the ${leg.name}:\n${verdict.details ?? ''}`);
		}
		failed ||= lint.errors + lint.warnings > 0 || lint.files === 0 || !verdict.passed;
	}
} finally {
	fs.rmSync(workDir, { recursive: true, force: true });
}

if (failed) {
	console.error('n8n community-package scan failed: fix every error and warning above.');
	process.exitCode = 1;
} else {
	console.log('n8n community-package scan passed: 0 errors, 0 warnings on the source and the tarball.');
}
