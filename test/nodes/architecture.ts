import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** What code under nodes/ and credentials/ may import besides its own files (n8n's verification rules). */
export const ALLOWED_PACKAGES = new Set(['n8n-workflow', 'zod', 'node:crypto']);

export interface SourceImport {
	from: string;
	specifier: string;
	/** The imported file (`.ts` added, a folder read as its index.ts), relative to the root; undefined for a package. */
	resolved?: string;
}

function sourceFiles(root: string, folder: string): string[] {
	return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.posix.join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(root, relative);
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
	});
}

function resolveFile(root: string, target: string): string {
	const candidates = [`${target}.ts`, `${target}/index.ts`, target];
	return candidates.find((candidate) => existsSync(path.join(root, candidate))) ?? target;
}

/** Every import and re-export of the TypeScript files under `folders`, read with the TypeScript compiler. */
export function readImports(root: string, folders: string[]): SourceImport[] {
	return folders.flatMap((folder) =>
		sourceFiles(root, folder).flatMap((file) => {
			const info = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
			return info.importedFiles.map(({ fileName: specifier }) => ({
				from: file,
				specifier,
				resolved: specifier.startsWith('.')
					? resolveFile(root, path.posix.join(path.posix.dirname(file), specifier))
					: undefined,
			}));
		}),
	);
}

/** The imports that break the rules: a package other than the allowed ones, or a file outside `folders`. */
export function forbiddenImports(imports: SourceImport[], folders: string[]): SourceImport[] {
	return imports.filter(({ specifier, resolved }) =>
		resolved === undefined
			? !ALLOWED_PACKAGES.has(specifier)
			: !folders.some((folder) => resolved.startsWith(`${folder}/`)),
	);
}

/**
 * The module a file belongs to: under nodes/<Node>/, its first folder (`nodes/Seedance/jobs`), or
 * the node's own folder for the node classes beside them; anything else, its top folder.
 */
export function moduleOf(file: string): string {
	const parts = file.split('/');
	if (parts[0] === 'nodes' && parts.length >= 3) return parts.slice(0, parts.length === 3 ? 2 : 3).join('/');
	return parts[0];
}

export type ModuleGraph = Map<string, Set<string>>;

/** Which module imports which, leaving out a module's imports of itself. */
export function moduleGraph(imports: SourceImport[]): ModuleGraph {
	const graph: ModuleGraph = new Map();
	for (const { from, resolved } of imports) {
		if (resolved === undefined) continue;
		const source = moduleOf(from);
		const target = moduleOf(resolved);
		if (!graph.has(source)) graph.set(source, new Set());
		if (source !== target) graph.get(source)!.add(target);
	}
	return graph;
}

/**
 * Every import cycle between modules, each as the path that closes it (`a → b → a`), found by a
 * depth-first search that reports a cycle when it meets a module still on its own path.
 */
export function findCycles(graph: ModuleGraph): string[][] {
	const cycles: string[][] = [];
	const done = new Set<string>();
	const path: string[] = [];
	const visit = (module: string) => {
		const onPath = path.indexOf(module);
		if (onPath >= 0) {
			cycles.push([...path.slice(onPath), module]);
			return;
		}
		if (done.has(module)) return;
		path.push(module);
		for (const next of graph.get(module) ?? []) visit(next);
		path.pop();
		done.add(module);
	};
	for (const module of [...graph.keys()].sort()) visit(module);
	return cycles;
}
