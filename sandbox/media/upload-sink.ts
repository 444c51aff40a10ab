import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { PartSink } from './multipart';
import { MAX_UPLOAD_BYTES, SNIFF_BYTES, sniffMedia, SUPPORTED_UPLOAD_TYPES, UPLOAD_LIMITS, type SniffedType } from './sniff';

export interface UploadRejection {
	error: string;
	message: string;
}

const MB = 1024 * 1024;

/**
 * Writes one uploaded part to disk as it streams in, sniffing its type from the first bytes
 * and giving up (file deleted, rest discarded) as soon as the part breaks a limit.
 */
export class UploadSink implements PartSink {
	byteSize = 0;
	type: SniffedType | null = null;
	rejection: UploadRejection | null = null;
	private head = Buffer.alloc(0);
	private out: WriteStream | null;

	constructor(readonly filePath: string) {
		this.out = createWriteStream(filePath);
		this.out.on('error', () => undefined);
	}

	async write(chunk: Buffer): Promise<void> {
		if (this.rejection || !this.out) return;
		this.byteSize += chunk.length;
		if (this.type === null && this.head.length < SNIFF_BYTES) {
			this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
			if (this.head.length >= SNIFF_BYTES && !this.sniff()) return;
		}
		const limit = this.type ? UPLOAD_LIMITS[this.type.kind] : MAX_UPLOAD_BYTES;
		if (this.byteSize > limit) {
			const what = this.type ? `${this.type.kind} uploads are` : 'uploads are';
			return this.reject('File too large', `File too large: ${what} limited to ${Math.round(limit / MB)} MB`);
		}
		if (!this.out.write(chunk)) await once(this.out, 'drain');
	}

	async end(): Promise<void> {
		if (this.rejection || !this.out) return;
		if (this.type === null && !this.sniff()) return;
		const out = this.out;
		await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
	}

	/** Removes whatever was written. */
	discard(): void {
		this.out?.destroy();
		this.out = null;
		rmSync(this.filePath, { force: true });
	}

	private sniff(): boolean {
		this.type = sniffMedia(this.head);
		if (this.type === null) this.reject('Unsupported file type', `Unsupported file type: expected ${SUPPORTED_UPLOAD_TYPES}`);
		return this.type !== null;
	}

	private reject(error: string, message: string): void {
		this.rejection = { error, message };
		this.discard();
	}
}

/** Swallows parts other than the file. */
export const DISCARD_SINK: PartSink = { write: () => undefined, end: () => undefined };
