/** Media fields take a public http(s) URL or an Apiframe asset id written as asset://<id>. */
export function isMediaUrl(value: string): boolean {
	if (/^asset:\/\/[A-Za-z0-9._-]+$/.test(value)) return true;
	return isHttpUrl(value);
}

export function isHttpUrl(value: string): boolean {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return false;
	}
	return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
}
