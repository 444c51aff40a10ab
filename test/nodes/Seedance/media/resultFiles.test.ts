import { createHash } from 'node:crypto';
import type { IBinaryKeyData, IExecuteFunctions } from 'n8n-workflow';

import { downloadJobFiles } from '../../../../nodes/Seedance/media/resultFiles';
import { fetchJob } from '../../../../nodes/Seedance/transport/apiframe';
import type { Sandbox } from '../../../../sandbox';
import { readBinary } from '../../../harness';
import { credentialsFor, requestsTo, runInNode, submitToSandbox, useSandbox } from '../fixtures';

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
		binary = await downloadJobFiles.call(this, job, 0, { videoProperty: 'data', lastFrameProperty: 'lastFrame' });
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
