import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { jobFailedError, settle, type SettleSettings } from '../../../../nodes/Seedance/jobs/settle';
import { lastKnownJob, submitted, type JobAfterSubmit } from '../../../../nodes/Seedance/jobs/trackedJob';
import { DEFAULT_DOWNLOAD_LIMITS } from '../../../../nodes/Seedance/media/downloadLimits';
import { readBinary } from '../../../harness';
import type { Sandbox } from '../../../../sandbox';
import { credentialsFor, requestsTo, runInNode, submitToSandbox, useSandbox } from '../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const JOB_READS = /^\/v2\/jobs\/[^/]+$/;

const SETTINGS: SettleSettings = {
	wait: { pollIntervalMs: 200, timeoutMs: 30_000, whenTimeUp: 'fail-item' },
	download: { videoProperty: 'data', lastFrameProperty: 'lastFrame', ...DEFAULT_DOWNLOAD_LIMITS },
	concurrency: 5,
	downloadConcurrency: 2,
	failedJobIsError: true,
};

/** Settles `jobs` in a real execution and describes what became of each. */
async function settled(jobs: JobAfterSubmit[], settings: Partial<SettleSettings> = {}) {
	let result: JobAfterSubmit[] = [];
	const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
		result = await settle.call(this, jobs, { ...SETTINGS, ...settings });
		return result.map((job): INodeExecutionData => ({ json: { kind: job.kind } }));
	});
	expect(run.error).toBeUndefined();
	return result;
}

describe('settling jobs', () => {
	it('waits for submitted jobs, then downloads the completed ones', async () => {
		const jobId = await submitToSandbox(sandbox, 'A quiet harbour');
		const [job] = await settled([submitted(0, jobId, 'key-0', null)]);
		expect(job).toMatchObject({ kind: 'settled', jobId, idempotencyKey: 'key-0', job: { id: jobId, status: 'COMPLETED' } });
		const binary = job.kind === 'settled' ? job.binary : null;
		expect(binary?.data.fileName).toBe(`seedance-${jobId}.mp4`);
		const bytes = await readBinary(binary!.data);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sandbox.videoSha256(jobId));
	});

	it('downloads each video as soon as its job is seen completed, before the last job finishes', async () => {
		const fast = await submitToSandbox(sandbox, 'A quick one');
		const slow = await submitToSandbox(sandbox, '[sandbox:slow=4000] A slow one');
		const jobs = await settled([submitted(0, fast, null, null), submitted(1, slow, null, null)]);
		expect(jobs.map((job) => job.kind === 'settled' && job.binary?.data.fileName)).toEqual([
			`seedance-${fast}.mp4`,
			`seedance-${slow}.mp4`,
		]);
		const downloadOf = (jobId: string) => sandbox.requests.find((r) => r.path === `/files/${jobId}.mp4`)!;
		const slowRecord = sandbox.jobs.get(slow)!;
		const slowDone = slowRecord.createdAt + slowRecord.queueMs + slowRecord.processingMs;
		expect(Date.parse(downloadOf(fast).time)).toBeLessThan(slowDone - 1000);
		expect(Date.parse(downloadOf(slow).time)).toBeGreaterThanOrEqual(slowDone);
	});

	it('fails an item whose job failed on Apiframe, or hands the job on as data when asked', async () => {
		const jobId = await submitToSandbox(sandbox, '[sandbox:fail=No such place] A harbour');
		const [asError] = await settled([submitted(0, jobId, null, null)]);
		expect(asError.kind).toBe('failed');
		expect(asError.kind === 'failed' && asError.error.message).toBe(`Seedance job ${jobId} failed: No such place`);
		expect(lastKnownJob(asError)).toMatchObject({ id: jobId, status: 'FAILED' });

		const [asData] = await settled([submitted(0, jobId, null, null)], { failedJobIsError: false });
		expect(asData).toMatchObject({ kind: 'settled', job: { status: 'FAILED', error: 'No such place' }, binary: null });
	});

	it('without waiting, reads only the jobs not read yet, and leaves running ones running', async () => {
		const running = await submitToSandbox(sandbox, '[sandbox:slow=20000] Still going');
		const seen = { id: running, status: 'QUEUED' };
		const jobs = await settled([submitted(0, running, null, seen), submitted(1, running, null, null)], { wait: false });
		expect(jobs.map((job) => job.kind)).toEqual(['submitted', 'submitted']);
		expect(lastKnownJob(jobs[0])).toBe(seen);
		expect(lastKnownJob(jobs[1])?.status).toMatch(/QUEUED|PROCESSING/);
		expect(requestsTo(sandbox, 'GET', JOB_READS)).toHaveLength(1);
	});

	it('gives up at the timeout, keeping the job ID and the way to pick the job up', async () => {
		const jobId = await submitToSandbox(sandbox, '[sandbox:slow=20000] Slow');
		const [job] = await settled([submitted(0, jobId, null, null)], {
			wait: { pollIntervalMs: 200, timeoutMs: 1000, whenTimeUp: 'fail-item' },
		});
		expect(job.kind).toBe('failed');
		expect(job.kind === 'failed' && job.error.message).toMatch(new RegExp(`^Timed out after 1 s waiting for Seedance job ${jobId} \\(still (QUEUED|PROCESSING)`));
		expect(job).toMatchObject({ jobId, job: { id: jobId } });
	});

	it('hands on a job still running at the timeout, with its last status, when asked to (agents)', async () => {
		const jobId = await submitToSandbox(sandbox, '[sandbox:slow=20000] Slow');
		const [job] = await settled([submitted(0, jobId, null, null)], {
			wait: { pollIntervalMs: 200, timeoutMs: 1000, whenTimeUp: 'return-unfinished' },
		});
		expect(job).toMatchObject({ kind: 'submitted', jobId, lastSeen: { id: jobId } });
		expect(lastKnownJob(job)?.status).toMatch(/QUEUED|PROCESSING/);
	});

	it('fails the item of a completed job whose files are gone, and keeps its job', async () => {
		const jobId = await submitToSandbox(sandbox, '[sandbox:expired] Old');
		const [job] = await settled([submitted(0, jobId, null, null)]);
		expect(job).toMatchObject({ kind: 'failed', jobId, job: { status: 'COMPLETED', expired: true } });
		expect(job.kind === 'failed' && job.error.message).toBe(`The video of Seedance job ${jobId} is no longer available (HTTP 404)`);
	});

	it('passes items that never had a job through untouched, in their order', async () => {
		const invalid: JobAfterSubmit = { kind: 'invalid', itemIndex: 0, error: new Error('Prompt is empty') };
		const jobId = await submitToSandbox(sandbox, 'Fine');
		const jobs = await settled([invalid, submitted(1, jobId, null, null)], { download: false });
		expect(jobs[0]).toBe(invalid);
		expect(jobs[1]).toMatchObject({ kind: 'settled', itemIndex: 1, binary: null });
	});
});

describe('the error of a job that did not complete', () => {
	const node = { id: 'n', name: 'Seedance', type: 'n8n-nodes-seedance.seedance', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

	it('promises the refund Apiframe documents for a failed job', () => {
		const error = jobFailedError(node, { id: 'j1', status: 'FAILED', error: 'content policy' }, 0);
		expect(error.message).toBe('Seedance job j1 failed: content policy');
		expect(error.description).toContain('Apiframe refunds failed jobs');
	});

	it('promises no refund for a cancelled job, since Apiframe documents none', () => {
		const error = jobFailedError(node, { id: 'j2', status: 'CANCELLED' }, 3);
		expect(error.message).toBe('Seedance job j2 was cancelled: Apiframe gave no reason');
		expect(error.description).not.toContain('refunds');
		expect(error.description).toContain('dashboard');
	});
});
