import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Source layout (ts-jest) and compiled layout (dist/sandbox/media) both reach sandbox/assets.
const CANDIDATE_DIRS = [join(__dirname, '..', 'assets'), join(__dirname, '..', '..', '..', 'sandbox', 'assets')];

const cache = new Map<string, Buffer>();

export function assetPath(name: string): string {
	for (const dir of CANDIDATE_DIRS) {
		const path = join(dir, name);
		if (existsSync(path)) return path;
	}
	throw new Error(`Sandbox asset ${name} not found in ${CANDIDATE_DIRS.join(', ')}`);
}

export function loadAsset(name: string): Buffer {
	let data = cache.get(name);
	if (!data) {
		data = readFileSync(assetPath(name));
		cache.set(name, data);
	}
	return data;
}

/** A 2 s, 160x90 H.264 + AAC MP4 with its moov box first. */
export function sampleVideo(): Buffer {
	return loadAsset('sample.mp4');
}

/** The last frame of the sample video. */
export function lastFramePng(): Buffer {
	return loadAsset('last-frame.png');
}
