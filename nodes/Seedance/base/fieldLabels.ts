/**
 * Names of the node's UI fields for each request path, so that errors found by our schemas or
 * reported by Apiframe (400 `details`) tell the user which field to change.
 */
const FIELD_LABELS: Record<string, string> = {
	model: 'Model',
	prompt: 'Prompt',
	seedanceParams: 'Video Settings',
	'seedanceParams.start_image': 'First Frame',
	'seedanceParams.end_image': 'Last Frame',
	'seedanceParams.reference_image_urls': 'Reference Images',
	'seedanceParams.reference_video_urls': 'Reference Videos',
	'seedanceParams.reference_audio_urls': 'Reference Audios',
	'seedanceParams.duration': 'Video Settings › Duration (Seconds)',
	'seedanceParams.resolution': 'Video Settings › Resolution',
	'seedanceParams.aspect_ratio': 'Video Settings › Aspect Ratio',
	'seedanceParams.generate_audio': 'Video Settings › Generate Audio',
	'seedanceParams.seed': 'Video Settings › Seed',
	'seedanceParams.camera_fixed': 'Video Settings › Camera Fixed',
	'seedanceParams.return_last_frame': 'Video Settings › Return Last Frame',
	'seedanceParams.web_search': 'Video Settings › Web Search',
	webhookUrl: 'Options › Notify Webhook URL',
	webhookEvents: 'Options › Notify Events',
};

/** Splits `seedanceParams.reference_image_urls.3`, `seedanceParams/duration` or `a[2]` into parts. */
export function parsePath(path: string): Array<string | number> {
	return path
		.replace(/\[(\d+)\]/g, '.$1')
		.split(/[./]/)
		.filter((part) => part.length > 0)
		.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function uiFieldForPath(path: Array<string | number> | string): string {
	const parts = typeof path === 'string' ? parsePath(path) : path;
	const names = parts.filter((part): part is string => typeof part === 'string');
	const index = parts.find((part): part is number => typeof part === 'number');
	const key = names.join('.');
	const label = FIELD_LABELS[key] ?? (key ? `request field "${key}"` : 'request');
	return index === undefined ? label : `${label} (entry ${index + 1})`;
}

/** The UI label of a seedanceParams key that the chosen model does not take. */
export function uiFieldForParam(key: string): string {
	return uiFieldForPath(['seedanceParams', key]);
}
