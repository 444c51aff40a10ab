import { createHash } from 'node:crypto';

import { readBinary } from '../../../../../harness';
import type { Sandbox } from '../../../../../../sandbox';
import { generateParameters, prompts, requestsTo, runSeedance, useSandbox } from '../../../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

function jobGet(overrides: Record<string, unknown> = {}) {
	return {
		resource: 'job',
		operation: 'get',
		jobId: '={{ $json.jobId }}',
		waitForCompletion: false,
		downloadVideo: true,
		options: { pollInterval: 1, timeout: 60 },
		...overrides,
	};
}

async function submit(prompt: string) {
	const submitted = await runSeedance(sandbox, generateParameters({ waitForCompletion: false }), {
		inputItems: prompts(prompt),
	});
	return submitted.items[0].json.jobId as string;
}

describe('Job → Get', () => {
	it('picks up a running job, waits for it and downloads its video', async () => {
		const jobId = await submit('later');
		const result = await runSeedance(sandbox, jobGet({ waitForCompletion: true }), { inputItems: [{ json: { jobId } }] });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ jobId, status: 'COMPLETED' });
		const bytes = await readBinary(result.items[0].binary!.data);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sandbox.videoSha256(jobId));
	});

	it('reads many IDs a page of the job list at a time and waits for them together', async () => {
		const jobIds = await Promise.all(['one', 'two', 'three', 'four'].map(submit));
		const before = sandbox.requests.length;
		const result = await runSeedance(sandbox, jobGet({ waitForCompletion: true }), {
			inputItems: jobIds.map((jobId) => ({ json: { jobId } })),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.jobId, item.json.status])).toEqual(jobIds.map((id) => [id, 'COMPLETED']));
		const reads = sandbox.requests.slice(before).filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs'));
		expect(reads.every((r) => r.path === '/v2/jobs')).toBe(true);
		// One page per poll: the first read at once, then one per interval until all are done.
		expect(reads.length).toBeGreaterThanOrEqual(1);
		expect(reads.length).toBeLessThanOrEqual(4);
		// The list leaves out each job's request, so there is nothing to estimate from.
		expect(result.items[0].json).toMatchObject({ estimatedCredits: null, estimateNote: expect.any(String) });
	});

	it('without waiting, reads the job once as it is', async () => {
		const jobId = await submit('now');
		const readsBefore = requestsTo(sandbox, 'GET', /^\/v2\/jobs\//).length;
		const result = await runSeedance(sandbox, jobGet(), { inputItems: [{ json: { jobId } }] });
		expect(result.items[0].json).toMatchObject({ jobId, status: expect.stringMatching(/QUEUED|PROCESSING/) });
		expect(result.items[0].binary).toBeUndefined();
		// The job's charge, and its estimate from the request Apiframe kept with it.
		const charged = sandbox.jobs.get(jobId)!.creditCost;
		const estimated = result.items[0].json.estimatedCredits as { low: number; high: number };
		expect(result.items[0].json.creditCost).toBe(charged);
		expect(estimated.low).toBeLessThanOrEqual(charged);
		expect(estimated.high).toBeGreaterThanOrEqual(charged);
		expect(requestsTo(sandbox, 'GET', /^\/v2\/jobs\//)).toHaveLength(readsBefore + 1);
	});

	it('rejects something that is not a job ID without calling Apiframe', async () => {
		const result = await runSeedance(sandbox, jobGet(), { inputItems: [{ json: { jobId: 'row 12' } }] });
		expect(result.error?.message).toBe('Job ID "row 12" is not a job ID');
		expect(requestsTo(sandbox, 'GET', /^\/v2\/jobs\//)).toHaveLength(0);
	});

	it('reports an unknown job with its ID', async () => {
		const jobId = '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10';
		const result = await runSeedance(sandbox, jobGet(), { inputItems: [{ json: { jobId } }], continueOnFail: true });
		expect(result.items[0].json).toMatchObject({ jobId, httpStatus: 404, error: expect.stringContaining('404') });
	});
});
