const VIDEO_KEYS = ['videoUrl', 'video_url', 'video', 'url', 'videos', 'output', 'outputs', 'urls'];
const VIDEO_EXTENSION = /\.(mp4|mov|webm|m4v)(\?|#|$)/i;
const IMAGE_EXTENSION = /\.(png|jpe?g|webp|gif)(\?|#|$)/i;
const LAST_FRAME_KEY = /last[_-]?frame/i;

function isUrl(value: unknown): value is string {
	return typeof value === 'string' && /^https?:\/\//i.test(value.trim());
}

/** A URL held directly, as `{url}`, or as the first entry of a list. */
function urlIn(value: unknown): string | undefined {
	if (isUrl(value)) return value.trim();
	if (Array.isArray(value)) {
		for (const entry of value) {
			const url = urlIn(entry);
			if (url) return url;
		}
		return undefined;
	}
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		return urlIn(record.url) ?? urlIn(record.href);
	}
	return undefined;
}

function allUrls(record: Record<string, unknown>): string[] {
	return Object.values(record).flatMap((value) => {
		const url = urlIn(value);
		return url ? [url] : [];
	});
}

/**
 * Finds the video and last-frame URLs in a job result. The API documents `result` both as a bare
 * URL string and as an object such as `{videoUrl}`, and gives the last frame no documented key, so
 * known keys come first, then URLs recognised by their file extension.
 */
export function extractResultUrls(result: unknown): { videoUrl?: string; lastFrameUrl?: string } {
	if (result === null || result === undefined) return {};
	if (isUrl(result) || Array.isArray(result)) return { videoUrl: urlIn(result) };
	if (typeof result !== 'object') return {};
	const record = result as Record<string, unknown>;
	const urls = allUrls(record);

	let lastFrameUrl: string | undefined;
	for (const [key, value] of Object.entries(record)) {
		if (LAST_FRAME_KEY.test(key)) lastFrameUrl ??= urlIn(value);
	}
	lastFrameUrl ??= urls.find((url) => IMAGE_EXTENSION.test(url));

	let videoUrl: string | undefined;
	for (const key of VIDEO_KEYS) videoUrl ??= urlIn(record[key]);
	videoUrl ??= urls.find((url) => VIDEO_EXTENSION.test(url));
	videoUrl ??= urls.find((url) => url !== lastFrameUrl && !IMAGE_EXTENSION.test(url));
	return { videoUrl, ...(lastFrameUrl && lastFrameUrl !== videoUrl ? { lastFrameUrl } : {}) };
}
