import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'eslint.config.mjs'] },
	{
		files: ['package.json'],
		languageOptions: { parser: (await import('jsonc-eslint-parser')).default },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase, ...communityRecommended.plugins },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			...communityRecommended.rules,
			// Applies to n8n's own repository, whose docs URLs are slugs; ours is a full URL.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		plugins: { 'n8n-nodes-base': n8nNodesBase, ...communityRecommended.plugins },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			...communityRecommended.rules,
			// Operations keep their descriptions in the operation files (Airtable v2 layout), which this
			// rule, written for single-file nodes, cannot see.
			'n8n-nodes-base/node-filename-against-convention': 'off',
			// These predate NodeConnectionTypes and only accept the string 'main'; the community rules
			// check connection types instead.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
];
