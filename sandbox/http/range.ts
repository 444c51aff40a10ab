export type ByteRange = { start: number; end: number };

/**
 * A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range. Returns null to serve the whole
 * file (no header, or a multi-range we choose to ignore), 'unsatisfiable' for a 416.
 */
export function parseRange(header: string | undefined, total: number): ByteRange | null | 'unsatisfiable' {
	if (!header) return null;
	const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
	if (!match || (match[1] === '' && match[2] === '')) return null;
	if (match[1] === '') {
		const suffix = Number(match[2]);
		if (suffix === 0) return 'unsatisfiable';
		return { start: Math.max(0, total - suffix), end: total - 1 };
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? total - 1 : Math.min(Number(match[2]), total - 1);
	if (start >= total || end < start) return 'unsatisfiable';
	return { start, end };
}
