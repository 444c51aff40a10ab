/**
 * `npm run bench`: the figures behind the node's speed and memory goals, measured against the
 * Apiframe sandbox through n8n-core's real execution engine.
 *   1. 50 items of 3-second jobs: wall time against the ideal (one job plus one poll interval),
 *      and job reads per job per poll interval.
 *   2. One 200 MB video: the node process's peak resident memory growth while it downloads.
 *   3. One 50 MB video from binary data: the same figure while it is uploaded as a reference.
 * Exits 1 when a goal is missed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SeedanceApi } from '../credentials/SeedanceApi.credentials';
import { Seedance } from '../nodes/Seedance/Seedance.node';
import { disposeHarness, runNode, storeBinary } from '../test/harness';
import { startSandboxProcess, type SandboxProcess } from './sandboxProcess';

const ITEMS = 50;
const JOB_MS = 3000;
const POLL_SECONDS = 1;
const BIG_VIDEO_BYTES = 200 * 1024 * 1024;
const UPLOAD_BYTES = 50 * 1024 * 1024 - 1024;
const GOALS = { wallVsIdeal: 1.5, readsPerInterval: 1, memoryGrowthMb: 64 };

function runSeedance(sandbox: SandboxProcess, parameters: INodeParameters, items: INodeExecutionData[]) {
	return runNode({
		nodeType: new Seedance(),
		typeName: 'n8n-nodes-seedance.seedance',
		parameters: { resource: 'video', operation: 'generate', model: 'seedance-2', ...parameters },
		inputItems: items,
		credentialTypes: [new SeedanceApi()],
		credentials: { seedanceApi: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } },
	});
}

function generate(sandbox: SandboxProcess, items: INodeExecutionData[], concurrency = 10) {
	return runSeedance(
		sandbox,
		{
			prompt: '={{ $json.prompt }}',
			inputMode: 'text',
			waitForCompletion: true,
			downloadVideo: true,
			options: { pollInterval: POLL_SECONDS, timeout: 600, concurrency },
		},
		items,
	);
}

async function batch(sandbox: SandboxProcess) {
	await sandbox.setOptions({ queueMs: 300, processingMs: JOB_MS - 300, videoBytes: 1024 * 1024 });
	await sandbox.reset();
	const items = Array.from({ length: ITEMS }, (_, i) => ({ json: { prompt: `Row ${i}: a lighthouse at dusk` } }));
	const started = Date.now();
	const result = await generate(sandbox, items);
	const wallMs = Date.now() - started;
	if (result.error) throw result.error;
	const completed = result.items.filter((item) => item.json.status === 'COMPLETED' && item.binary?.data).length;

	const reads = (await sandbox.requests()).filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs/'));
	const perJob = reads.length / ITEMS;
	const intervals = wallMs / (POLL_SECONDS * 1000);
	const idealMs = JOB_MS + POLL_SECONDS * 1000;
	return { completed, wallMs, idealMs, ratio: wallMs / idealMs, perJob, perInterval: perJob / intervals };
}

/** Runs `work` while sampling this process's resident memory; returns its peak growth in MB. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
	(global as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 10);
	try {
		return { result: await work(), growthMb: (Math.max(peak, process.memoryUsage().rss) - baseline) / 1024 / 1024 };
	} finally {
		clearInterval(sampler);
	}
}

async function memory(sandbox: SandboxProcess) {
	await sandbox.setOptions({ queueMs: 0, processingMs: 200, videoBytes: BIG_VIDEO_BYTES });
	await sandbox.reset();
	const { result, growthMb } = await peakRssGrowth(() => generate(sandbox, [{ json: { prompt: 'One long take' } }], 1));
	if (result.error) throw result.error;
	const bytes = Number(result.items[0].binary?.data.bytes ?? 0);
	return { bytes, growthMb };
}

/** A 50 MB MP4 in n8n's filesystem binary storage, written from a stream so the bench never holds it. */
async function storedVideo() {
	const sample = readFileSync(path.resolve(__dirname, '..', '..', 'sandbox', 'assets', 'sample.mp4'));
	async function* bytes() {
		yield sample;
		const zeros = Buffer.alloc(1024 * 1024);
		for (let left = UPLOAD_BYTES - sample.length; left > 0; left -= zeros.length) {
			yield zeros.subarray(0, Math.min(zeros.length, left));
		}
	}
	return await storeBinary(Readable.from(bytes()), { fileName: 'clip.mp4', mimeType: 'video/mp4' });
}

async function upload(sandbox: SandboxProcess) {
	await sandbox.reset();
	const binary = await storedVideo();
	const { result, growthMb } = await peakRssGrowth(() =>
		runSeedance(
			sandbox,
			{ prompt: 'Make it night', inputMode: 'edit', referenceVideos: { entries: [{ url: 'clip' }] }, waitForCompletion: false },
			[{ json: {}, binary: { clip: binary } }],
		),
	);
	if (result.error) throw result.error;
	const uploads = (await sandbox.requests()).filter((r) => r.method === 'POST' && r.path === '/v2/uploads');
	return { uploads: uploads.length, growthMb };
}

async function main() {
	const sandbox = await startSandboxProcess([]);
	try {
		// A first small run loads n8n-core and warms up, so neither figure pays for start-up.
		await sandbox.setOptions({ queueMs: 0, processingMs: 100, videoBytes: 1024 });
		await generate(sandbox, [{ json: { prompt: 'warm-up' } }]);

		const b = await batch(sandbox);
		const m = await memory(sandbox);
		const u = await upload(sandbox);
		const mb = (n: number) => n.toFixed(1);
		console.log(`Batch: ${ITEMS} items of ${JOB_MS / 1000}-second jobs, poll interval ${POLL_SECONDS} s`);
		console.log(`  completed with video:     ${b.completed}/${ITEMS}`);
		console.log(`  wall time:                ${(b.wallMs / 1000).toFixed(2)} s`);
		console.log(`  ideal (job + 1 interval): ${(b.idealMs / 1000).toFixed(2)} s`);
		console.log(`  wall / ideal:             ${b.ratio.toFixed(2)}x (goal <= ${GOALS.wallVsIdeal}x)`);
		console.log(`  job reads per job:        ${b.perJob.toFixed(2)}`);
		console.log(`  reads per job per interval: ${b.perInterval.toFixed(2)} (goal <= ${GOALS.readsPerInterval})`);
		console.log(`Download: one ${mb(BIG_VIDEO_BYTES / 1024 / 1024)} MB video into filesystem binary data`);
		console.log(`  bytes stored:             ${m.bytes}`);
		console.log(`  peak RSS growth:          ${mb(m.growthMb)} MB (goal < ${GOALS.memoryGrowthMb} MB)`);
		console.log(`Upload: one ${mb(UPLOAD_BYTES / 1024 / 1024)} MB video from filesystem binary data as a reference`);
		console.log(`  uploads made:             ${u.uploads}`);
		console.log(`  peak RSS growth:          ${mb(u.growthMb)} MB (goal < ${GOALS.memoryGrowthMb} MB)`);

		const missed = [
			b.completed !== ITEMS && 'not every job completed with its video',
			b.ratio > GOALS.wallVsIdeal && 'wall time',
			b.perInterval > GOALS.readsPerInterval && 'reads per interval',
			m.bytes !== BIG_VIDEO_BYTES && 'downloaded size',
			m.growthMb >= GOALS.memoryGrowthMb && 'memory growth',
			u.uploads !== 1 && 'upload count',
			u.growthMb >= GOALS.memoryGrowthMb && 'upload memory growth',
		].filter(Boolean);
		console.log(missed.length ? `Goals missed: ${missed.join(', ')}` : 'All goals met.');
		process.exitCode = missed.length ? 1 : 0;
	} finally {
		await sandbox.stop();
		await disposeHarness();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
