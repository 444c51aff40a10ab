/**
 * A V8 CPU profile of one piece of work in this process, and the split of its CPU time that the
 * bench prints: whose code a sample was running, judged by the innermost frame that belongs to
 * one of the parts below (a sample in zod called by the node counts as the node's).
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export type CpuPart = 'node' | 'expressions' | 'requestHelpers' | 'binaryStorage' | 'other';

/** What the bench calls each part. */
export const CPU_PART_LABELS: Record<CpuPart, string> = {
	node: "the node's code (with zod)",
	expressions: "n8n's parameters and expressions",
	requestHelpers: "n8n's request helpers",
	binaryStorage: 'binary storage',
	other: 'other (n8n-core, the harness, GC)',
};

/** Where each part's code lives, tried from the innermost frame outwards. */
const PARTS: Array<{ part: Exclude<CpuPart, 'other'>; url: RegExp }> = [
	{ part: 'expressions', url: /n8n-workflow\/dist\/.*(expression|workflow-data-proxy|extensions|tmpl)|@n8n\/tournament|isolated-vm|\/node-execution-context\/(node-execution-context\.js|utils\/(get-|validate|ensure-type|extract-value))/i },
	{ part: 'requestHelpers', url: /n8n-core\/dist\/.*request-helper|\/axios\/|follow-redirects|form-data/ },
	{ part: 'binaryStorage', url: /n8n-core\/dist\/binary-data|binary-helper-functions/ },
	{ part: 'node', url: /\/(nodes\/Seedance|credentials)\/[^/]+(\/[^/]+)*\.js$/ },
];

export interface CpuSplit {
	/** CPU milliseconds of the work, idle time left out. */
	totalMs: number;
	/** Milliseconds per part. */
	parts: Record<CpuPart, number>;
	/** Milliseconds of samples with any of the node's frames on the stack, whatever ran innermost. */
	nodeOnStackMs: number;
	/** Where "other" ran most, innermost (file and function), so the next bottleneck shows. */
	topOther: Array<{ where: string; ms: number }>;
}

export async function profileCpu<T>(work: () => Promise<T>): Promise<{ result: T; split: CpuSplit }> {
	const session = new Session();
	session.connect();
	try {
		await session.post('Profiler.enable');
		await session.post('Profiler.setSamplingInterval', { interval: 500 });
		await session.post('Profiler.start');
		const outcome = await work().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
		if (!outcome.ok) throw outcome.error;
		return { result: outcome.value, split: splitOf(profile) };
	} finally {
		session.disconnect();
	}
}

const IDLE = new Set(['(idle)']);

export function splitOf(profile: Profile): CpuSplit {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const partOf = new Map<number, { part: CpuPart; nodeOnStack: boolean }>();
	const classify = (id: number): { part: CpuPart; nodeOnStack: boolean } => {
		const known = partOf.get(id);
		if (known) return known;
		let part: CpuPart | undefined;
		let nodeOnStack = false;
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const url = byId.get(at)!.callFrame.url;
			const match = PARTS.find((candidate) => candidate.url.test(url) && !/node_modules\/(?!n8n-|@n8n|isolated-vm|axios|follow-redirects|form-data)/.test(url));
			if (match?.part === 'node') nodeOnStack = true;
			part ??= match?.part;
		}
		const answer = { part: part ?? 'other', nodeOnStack };
		partOf.set(id, answer);
		return answer;
	};
	const parts: Record<CpuPart, number> = { node: 0, expressions: 0, requestHelpers: 0, binaryStorage: 0, other: 0 };
	let totalMs = 0;
	let nodeOnStackMs = 0;
	const other = new Map<string, number>();
	profile.samples.forEach((id, index) => {
		if (IDLE.has(byId.get(id)!.callFrame.functionName)) return;
		const ms = (profile.timeDeltas[index] ?? 0) / 1000;
		const { part, nodeOnStack } = classify(id);
		parts[part] += ms;
		totalMs += ms;
		if (nodeOnStack) nodeOnStackMs += ms;
		if (part === 'other') {
			const { url, functionName } = byId.get(id)!.callFrame;
			const where = `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist-bench\//, '') || '(native)'} ${functionName || '(anonymous)'}`;
			other.set(where, (other.get(where) ?? 0) + ms);
		}
	});
	const topOther = [...other.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, 8)
		.map(([where, ms]) => ({ where, ms }));
	return { totalMs, parts, nodeOnStackMs, topOther };
}
