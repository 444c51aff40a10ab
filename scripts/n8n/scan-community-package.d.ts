// Types for the part of @n8n/scan-community-package's scanner (plain JavaScript) that the lint
// config and scripts/check-scan.mjs use.
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	import type { Linter } from 'eslint';

	export interface AnalysisResult {
		passed: boolean;
		message?: string;
		/** ESLint's stylish report, present only when there is an error. */
		details?: string;
		error?: unknown;
	}

	export const SOURCE_FILE_PATTERNS: string[];
	export function buildScanConfig(): Promise<Linter.Config[]>;
	export function analyzePackage(packageDir: string, filePatterns?: string[]): Promise<AnalysisResult>;
}
