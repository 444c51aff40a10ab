export class MultipartError extends Error {}

export interface PartHeaders {
	name: string | null;
	filename: string | null;
	contentType: string | null;
}

export interface PartSink {
	write(chunk: Buffer): void | Promise<void>;
	end(): void | Promise<void>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string | undefined): string | null {
	if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return null;
	const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : null;
}

function parseDisposition(value: string): { name: string | null; filename: string | null } {
	const params: Record<string, string> = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(value)) !== null) params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
	return { name: params.name ?? null, filename: params.filename ?? null };
}

function parseHeaders(block: string): PartHeaders {
	let disposition = { name: null as string | null, filename: null as string | null };
	let contentType: string | null = null;
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon < 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (name === 'content-disposition') disposition = parseDisposition(value);
		else if (name === 'content-type') contentType = value;
	}
	return { ...disposition, contentType };
}

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done';

/**
 * Streams a multipart/form-data body: part data goes to the sink as it arrives, only a
 * delimiter-sized tail is ever held back, so memory stays flat whatever the part size.
 */
export async function parseMultipart(source: AsyncIterable<Buffer>, boundary: string, onPart: (headers: PartHeaders) => PartSink): Promise<void> {
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	// the leading CRLF lets the first delimiter match like the others
	let buf: Buffer = Buffer.from(CRLF);
	let state: State = 'preamble';
	let sink: PartSink | null = null;

	for await (const chunk of source) {
		if (state === 'done') continue;
		buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
		for (;;) {
			if (state === 'preamble') {
				const at = buf.indexOf(delimiter);
				if (at < 0) {
					buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
					break;
				}
				buf = buf.subarray(at + delimiter.length);
				state = 'afterDelimiter';
			} else if (state === 'afterDelimiter') {
				if (buf.length < 2) break;
				if (buf[0] === 0x2d && buf[1] === 0x2d) {
					state = 'done';
					break;
				}
				const eol = buf.indexOf(CRLF);
				if (eol < 0) {
					if (buf.length > 256) throw new MultipartError('Malformed multipart delimiter');
					break;
				}
				if (buf.subarray(0, eol).toString('latin1').trim() !== '') throw new MultipartError('Malformed multipart delimiter');
				buf = buf.subarray(eol + 2);
				state = 'headers';
			} else if (state === 'headers') {
				const end = buf.indexOf(HEADER_END);
				if (end < 0) {
					if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('Multipart part headers too large');
					break;
				}
				sink = onPart(parseHeaders(buf.subarray(0, end).toString('utf8')));
				buf = buf.subarray(end + HEADER_END.length);
				state = 'body';
			} else if (state === 'body') {
				const at = buf.indexOf(delimiter);
				if (at >= 0) {
					if (at > 0) await sink!.write(buf.subarray(0, at));
					await sink!.end();
					sink = null;
					buf = buf.subarray(at + delimiter.length);
					state = 'afterDelimiter';
					continue;
				}
				const safe = buf.length - delimiter.length + 1;
				if (safe > 0) {
					await sink!.write(buf.subarray(0, safe));
					buf = buf.subarray(safe);
				}
				break;
			} else {
				break;
			}
		}
	}
	if (state !== 'done') throw new MultipartError('Unexpected end of multipart body');
}
