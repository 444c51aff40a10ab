const ASSET_URI = /^asset:\/\/([A-Za-z0-9._:-]{1,200})$/;

/** An absolute http(s) URL with a host; whitespace anywhere is refused rather than trimmed. */
export function isHttpUrl(value: string): boolean {
	if (/\s/.test(value)) return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
	} catch {
		return false;
	}
}

export function assetIdOf(value: string): string | null {
	const match = ASSET_URI.exec(value);
	return match ? match[1] : null;
}

/** Seedance media fields take a URL or a pre-registered asset (`asset://<assetId>`). */
export function isMediaUri(value: string): boolean {
	return isHttpUrl(value) || assetIdOf(value) !== null;
}
