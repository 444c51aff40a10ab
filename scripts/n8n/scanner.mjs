// @ts-check
// n8n's community-package scanner (@n8n/scan-community-package), loaded the one way the lint
// config and scripts/check-scan.mjs both use, so that they apply the rules n8n applies.

import { createRequire } from 'node:module';

// eslint-plugin-n8n-nodes-base treats every file as its own test fixture under NODE_ENV=test (as
// jest sets it), which n8n's scan never does. The plugin reads it when the scan config loads it.
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;

export { analyzePackage, buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

/** Resolves modules as the scanner does, from its own folder. */
export const scannerRequire = createRequire(
	createRequire(import.meta.url).resolve('@n8n/scan-community-package/scanner/scanner.mjs'),
);

// The scanner makes a temporary folder as it loads (for packages it downloads, which we never
// ask it to do); have it removed when the process exits rather than left behind on every run.
scannerRequire('tmp').setGracefulCleanup();

/** What n8n lints in the tarball it downloads (analyzePackageByName in the scanner). */
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/**
 * The scanner depends on TypeScript 7, which has no compiler API for @typescript-eslint to parse
 * with. npm gives it its own copy, and the parser loads this package's TypeScript 5 instead;
 * should that ever change, every file would fail to parse, so say why up front.
 */
export function assertParserHasTypeScriptApi() {
	const parser = scannerRequire.resolve('@typescript-eslint/parser');
	const estree = createRequire(parser).resolve('@typescript-eslint/typescript-estree');
	const ts = createRequire(estree)('typescript');
	if (typeof ts.createSourceFile !== 'function') {
		throw new Error(
			`@typescript-eslint loads TypeScript ${ts.version}, which has no compiler API. Keep typescript 5.x ` +
				'as a devDependency of this package so that npm puts it at the top of node_modules.',
		);
	}
	return /** @type {string} */ (ts.version);
}
