import { randomBytes } from 'node:crypto';

export type AssetType = 'image' | 'video' | 'audio';

export interface AssetRecord {
	assetId: string;
	url: string;
	type: AssetType;
	createdAt: number;
}

/** Assets registered with POST /v2/assets/create, referenced as `asset://<assetId>`. */
export class AssetStore {
	private readonly byId = new Map<string, AssetRecord>();

	create(url: string, type: AssetType, now: number): AssetRecord {
		const record: AssetRecord = { assetId: `asset-${randomBytes(12).toString('hex')}`, url, type, createdAt: now };
		this.byId.set(record.assetId, record);
		return record;
	}

	has(assetId: string): boolean {
		return this.byId.has(assetId);
	}

	get(assetId: string): AssetRecord | undefined {
		return this.byId.get(assetId);
	}

	clear(): void {
		this.byId.clear();
	}
}
