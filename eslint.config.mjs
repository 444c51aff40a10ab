// @ts-check
// The lint n8n applies when it verifies a community package: its scanner's own ESLint config,
// with inline `eslint-disable` comments ignored as the scanner ignores them. Nothing here relaxes
// a rule for what n8n scans, so this lint and `npm run check:scan` (the scanner itself) never
// disagree. The scripts and their tests get a lint of their own at the end.
import js from '@eslint/js';
import globals from 'globals';
import { buildScanConfig } from './scripts/n8n/scanner.mjs';

const scanConfig = await buildScanConfig();

// The scan config applies to every file it is given. The JavaScript tools and their tests are
// neither published nor scanned by n8n, and use what a node may not (files, processes, the
// console), so its rules are off for them and ESLint's recommended rules apply instead.
const SCRIPT_FILES = ['scripts/**/*.{js,mjs,cjs}', 'test/e2e/**/*.{mjs,cjs}', 'test/scripts/**/*.mjs'];
const scanRulesOff = Object.fromEntries(
	scanConfig.flatMap((block) => Object.keys(block.rules ?? {})).map((rule) => [rule, /** @type {const} */ ('off')]),
);

export default [
	{ ignores: ['dist/**', 'node_modules/**'] },
	{ linterOptions: { noInlineConfig: true } },
	...scanConfig,
	// ES modules get no CommonJS globals, so a stray require or __dirname in an .mjs file is
	// caught here rather than at run time.
	{
		files: SCRIPT_FILES,
		languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.nodeBuiltin },
		rules: {
			...scanRulesOff,
			...js.configs.recommended.rules,
			// `const { id, ...rest } = json` is how a field is left out.
			'no-unused-vars': ['error', { ignoreRestSiblings: true }],
		},
	},
	{
		files: ['scripts/**/*.cjs', 'scripts/check-pack.js', 'test/e2e/**/*.cjs'],
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
	},
	{
		// Their page.evaluate() callbacks run in the browser.
		files: ['test/e2e/editor/**/*.mjs'],
		languageOptions: { globals: { getComputedStyle: 'readonly', document: 'readonly' } },
	},
];
