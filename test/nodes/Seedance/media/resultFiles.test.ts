import { createHash } from 'node:crypto';
import type { IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';

import { downloadJobFiles } from '../../../../nodes/Seedance/media/resultFiles';
import { DEFAULT_DOWNLOAD_LIMITS, readDownloadLimits, type DownloadLimits } from '../../../../nodes/Seedance/media/downloadLimits';
import { fetchJob } from '../../../../nodes/Seedance/transport/apiframe';
import type { Sandbox } from '../../../../sandbox';
import { readBinary } from '../../../harness';
import { credentialsFor, requestsTo, runInNode, submitToSandbox, useSandbox } from '../fixtures';
import { StandInHost } from '../standInHosts';

const sandboxOf = useSandbox({ queueMs: 0, processingMs: 50, videoBytes: 1024 * 1024 });
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const FILES = /^\/files\//;

/** Reads the completed job and downloads its files in a real execution. */
async function download(jobId: string) {
	let binary: IBinaryKeyData | undefined;
	const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
		const job = await fetchJob.call(this, jobId, 0);
		binary = await downloadJobFiles.call(this, job, 0, { videoProperty: 'data', lastFrameProperty: 'lastFrame', ...DEFAULT_DOWNLOAD_LIMITS });
		return [{ json: {} }];
	});
	return { error: run.error, binary };
}

async function completedJob(prompt: string): Promise<string> {
	const jobId = await submitToSandbox(sandbox, prompt);
	for (let i = 0; i < 100 && sandbox.jobs.view(jobId)?.status !== 'COMPLETED'; i++) await new Promise((r) => setTimeout(r, 20));
	return jobId;
}

describe('downloading a result file', () => {
	it('starts over after a connection reset halfway through, and stores the exact bytes', async () => {
		const jobId = await completedJob('A harbour at night');
		sandbox.faults.push({ method: 'GET', path: `/files/${jobId}.mp4`, dropAfterBytes: 300 * 1024, times: 2 });
		const { error, binary } = await download(jobId);
		expect(error).toBeUndefined();
		const bytes = await readBinary(binary!.data);
		expect(bytes.length).toBe(1024 * 1024);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sandbox.videoSha256(jobId));
		expect(requestsTo(sandbox, 'GET', FILES).map((r) => r.status)).toEqual([undefined, undefined, 200]);
	});

	it('waits out a CDN that drops every connection for a while', async () => {
		const jobId = await completedJob('A harbour at dawn');
		sandbox.faults.push({ method: 'GET', path: `/files/${jobId}.mp4`, drop: true, forMs: 3500 });
		const { error, binary } = await download(jobId);
		expect(error).toBeUndefined();
		expect((await readBinary(binary!.data)).length).toBe(1024 * 1024);
		// Waits of 1, 2 and 4 s: the fourth attempt comes after the 3.5 s outage.
		expect(requestsTo(sandbox, 'GET', FILES).map((r) => r.status)).toEqual([undefined, undefined, undefined, 200]);
	});

	it('does not retry an answer that will not change, and names the job and the attempts', async () => {
		const jobId = await completedJob('A harbour at noon');
		sandbox.faults.push({ method: 'GET', path: `/files/${jobId}.mp4`, status: 403 });
		const { error } = await download(jobId);
		expect(error?.message).toBe(`Could not download the video of Seedance job ${jobId} (1 attempt): HTTP 403`);
		expect(requestsTo(sandbox, 'GET', FILES)).toHaveLength(1);
	});
});

describe('the limits of a download', () => {
	const JOB_ID = '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10';
	/** A result host: /trickle sends 1 KiB every 100 ms forever, /silent sends headers and then nothing, /big/<n> sends n bytes (with or without a Content-Length). */
	const host = new StandInHost('127.0.0.2', (request, response) => {
		request.resume();
		const url = request.url ?? '/';
		if (url === '/trickle') {
			response.writeHead(200, { 'content-type': 'video/mp4' });
			const drip = setInterval(() => response.write(Buffer.alloc(1024)), 100);
			response.on('close', () => clearInterval(drip));
		} else if (url === '/silent') {
			response.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '1000000' });
			response.flushHeaders();
		} else {
			const bytes = Number(url.split('/')[2].replace(/\?.*$/, ''));
			const declared = url.endsWith('?declared');
			response.writeHead(200, { 'content-type': 'video/mp4', ...(declared ? { 'content-length': String(bytes) } : {}) });
			response.end(Buffer.alloc(bytes));
		}
	});
	beforeAll(async () => await host.start());
	afterAll(async () => await host.close());
	beforeEach(() => {
		host.requests.length = 0;
	});

	async function downloadFrom(path: string, limits: DownloadLimits) {
		let binary: IBinaryKeyData | undefined;
		const job = { id: JOB_ID, status: 'COMPLETED', result: { videoUrl: `${host.origin}${path}` } };
		const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
			binary = await downloadJobFiles.call(this, job, 0, { videoProperty: 'data', lastFrameProperty: 'lastFrame', ...limits });
			return [{ json: {} }];
		});
		return { error: run.error as (Error & { context?: { jobId?: string } }) | undefined, binary };
	}

	it('gives up on a host that trickles bytes once the deadline passes, naming the job', async () => {
		const { error, binary } = await downloadFrom('/trickle', { deadlineMs: 1500, maxBytes: null });
		expect(binary).toBeUndefined();
		expect(error?.message).toBe(`The video of Seedance job ${JOB_ID} did not download within 1.5 seconds (Options › Download Deadline; 1 attempt)`);
		expect(host.requests).toHaveLength(1);
	});

	it('gives up on a host that goes silent after its headers', async () => {
		const { error } = await downloadFrom('/silent', { deadlineMs: 1500, maxBytes: null });
		expect(error?.message).toContain('did not download within 1.5 seconds');
		expect(host.requests).toHaveLength(1);
	});

	it('refuses a file over the size cap, declared or not, without retrying', async () => {
		const cap = 256 * 1024;
		for (const path of [`/big/${4 * cap}?declared`, `/big/${4 * cap}`]) {
			host.requests.length = 0;
			const { error, binary } = await downloadFrom(path, { deadlineMs: 60_000, maxBytes: cap });
			expect(binary).toBeUndefined();
			expect(error?.message).toBe(`The video of Seedance job ${JOB_ID} is larger than ${cap} bytes (Options › Max Download Size), so it was not stored`);
			expect(host.requests).toHaveLength(1);
		}
	});

	it('stores a file within the cap whole', async () => {
		const { error, binary } = await downloadFrom('/big/1000', { deadlineMs: 60_000, maxBytes: 1000 });
		expect(error).toBeUndefined();
		expect((await readBinary(binary!.data)).length).toBe(1000);
	});

	it('reads the options: seconds and megabytes, 0 for no cap, the defaults when unset', () => {
		expect(readDownloadLimits({ downloadDeadline: 30, maxDownloadSizeMb: 2 })).toEqual({ deadlineMs: 30_000, maxBytes: 2 * 1024 * 1024 });
		expect(readDownloadLimits({ maxDownloadSizeMb: 0 }).maxBytes).toBeNull();
		expect(readDownloadLimits({})).toEqual(DEFAULT_DOWNLOAD_LIMITS);
		expect(readDownloadLimits({ downloadDeadline: 'soon' }).deadlineMs).toBe(DEFAULT_DOWNLOAD_LIMITS.deadlineMs);
	});
});
