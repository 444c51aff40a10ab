// @ts-check
// The lint n8n applies when it verifies a community package: its scanner's own ESLint config,
// with inline `eslint-disable` comments ignored as the scanner ignores them. Nothing here relaxes
// a rule, so this lint and `npm run check:scan` (the scanner itself) never disagree.
import { buildScanConfig } from './scripts/n8n/scanner.mjs';

export default [
	{ ignores: ['dist/**', 'node_modules/**'] },
	{ linterOptions: { noInlineConfig: true } },
	...(await buildScanConfig()),
];
