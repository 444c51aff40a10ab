import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaKind } from '../media/sniff';

/** Apiframe keeps uploads for 1-2 h. */
export const UPLOAD_TTL_MS = 2 * 3600 * 1000;

export interface UploadRecord {
	id: string;
	filePath: string;
	kind: MediaKind;
	contentType: string;
	byteSize: number;
	createdAt: number;
	expiresAt: number;
}

/** Uploaded bytes live in a private temp dir, removed on close. */
export class UploadStore {
	readonly dir: string;
	private readonly byId = new Map<string, UploadRecord>();

	constructor() {
		this.dir = mkdtempSync(join(tmpdir(), 'apiframe-sandbox-'));
	}

	newFilePath(): { id: string; filePath: string } {
		const id = randomUUID();
		return { id, filePath: join(this.dir, id) };
	}

	add(record: UploadRecord): void {
		this.byId.set(record.id, record);
	}

	/** Undefined once expired, like a purged CDN file. */
	get(id: string, now: number): UploadRecord | undefined {
		const record = this.byId.get(id);
		return record && now < record.expiresAt ? record : undefined;
	}

	clear(): void {
		for (const record of this.byId.values()) rmSync(record.filePath, { force: true });
		this.byId.clear();
	}

	dispose(): void {
		this.byId.clear();
		rmSync(this.dir, { recursive: true, force: true });
	}
}
