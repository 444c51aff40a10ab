import { createHash } from 'node:crypto';

import { readBinary } from '../../../../../harness';
import type { Sandbox } from '../../../../../../sandbox';
import { requestsTo, runSeedance, submitToSandbox, useSandbox } from '../../../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

function jobList(overrides: Record<string, unknown> = {}) {
	return { resource: 'job', operation: 'list', returnAll: true, filters: {}, downloadVideo: false, options: {}, ...overrides };
}

/**
 * Submits `count` jobs, each in a millisecond of its own: the list orders by (createdAt desc, id
 * desc), so jobs created in one millisecond would come in ID order, not newest first.
 */
async function submitMany(count: number, prompt = 'job'): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		ids.push(await submitToSandbox(sandbox, `${prompt} ${i}`));
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	return ids;
}

/** A moment strictly between the jobs created before and after it. */
async function instant(): Promise<string> {
	await new Promise((resolve) => setTimeout(resolve, 5));
	const now = new Date().toISOString();
	await new Promise((resolve) => setTimeout(resolve, 5));
	return now;
}

function listRequests() {
	return requestsTo(sandbox, 'GET', /^\/v2\/jobs$/).map((request) => new Map(Object.entries(request.query)));
}

describe('Job → List', () => {
	it('returns every job, newest first, one item each, following the cursor across pages of 100', async () => {
		const ids = await submitMany(130);
		const result = await runSeedance(sandbox, jobList());
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.jobId)).toEqual([...ids].reverse());
		expect(result.items[0].json).toMatchObject({ status: expect.any(String), createdAt: expect.any(String), job: expect.any(Object) });
		const pages = listRequests();
		expect(pages.map((query) => [query.get('limit'), query.has('cursor')])).toEqual([
			['100', false],
			['100', true],
		]);
	});

	it('stops at the limit, asking for no more than it needs', async () => {
		const ids = await submitMany(30);
		const result = await runSeedance(sandbox, jobList({ returnAll: false, limit: 7 }));
		expect(result.items.map((item) => item.json.jobId)).toEqual([...ids].reverse().slice(0, 7));
		expect(listRequests().map((query) => query.get('limit'))).toEqual(['7']);
	});

	it('keeps only jobs created in the time window, and stops paging at the first older job', async () => {
		await submitMany(150, 'before the run');
		const runBegan = await instant();
		const duringRun = await submitMany(4, 'the run');
		const runEnded = await instant();
		await submitMany(2, 'after the run');
		const result = await runSeedance(sandbox, jobList({ filters: { createdAfter: runBegan, createdBefore: runEnded } }));
		expect(result.items.map((item) => item.json.jobId)).toEqual([...duringRun].reverse());
		// 156 jobs exist; the first page already reaches back past runBegan.
		expect(listRequests()).toHaveLength(1);
	});

	it('sends status and model as Apiframe filters, and passes failed jobs on as rows, not errors', async () => {
		const [failing, done] = await submitMany(2);
		sandbox.jobs.fail(failing, 'Upstream refused');
		sandbox.jobs.completeNow(done);
		const failed = await runSeedance(sandbox, jobList({ filters: { status: 'FAILED', model: 'seedance-2' } }));
		expect(failed.error).toBeUndefined();
		expect(failed.items.map((item) => item.json)).toEqual([expect.objectContaining({ jobId: failing, status: 'FAILED', error: 'Upstream refused' })]);
		const [query] = listRequests();
		expect([query.get('status'), query.get('model')]).toEqual(['FAILED', 'seedance-2']);
	});

	it('downloads the videos of completed jobs when asked', async () => {
		const [done, running] = await submitMany(2);
		sandbox.jobs.completeNow(done);
		const result = await runSeedance(sandbox, jobList({ downloadVideo: true }));
		const byId = new Map(result.items.map((item) => [item.json.jobId, item]));
		const bytes = await readBinary(byId.get(done)!.binary!.data);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(await sandbox.videoSha256(done));
		expect(byId.get(running)!.binary).toBeUndefined();
	});

	it('names the field of a date it cannot read, and a window that cannot match, before any request', async () => {
		const badDate = await runSeedance(sandbox, jobList({ filters: { createdAfter: 'yesterday-ish' } }));
		expect(badDate.error?.message).toBe('Filters › Created After "yesterday-ish" is not a date');
		const empty = await runSeedance(sandbox, jobList({ filters: { createdAfter: '2026-12-02T00:00:00Z', createdBefore: '2026-12-01T00:00:00Z' } }));
		expect(empty.error?.message).toBe('Filters › Created After is not before Created Before');
		expect(listRequests()).toHaveLength(0);
	});
});
