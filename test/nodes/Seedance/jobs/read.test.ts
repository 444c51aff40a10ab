import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { JobArrivals } from '../../../../nodes/Seedance/jobs/arrivals';
import { JobListSchedule } from '../../../../nodes/Seedance/jobs/listSchedule';
import { readJobs, type ReadJob } from '../../../../nodes/Seedance/jobs/read';
import { waitForJobs } from '../../../../nodes/Seedance/jobs/wait';
import type { Fault } from '../../../../sandbox/state/faults';
import { submitted, type SubmittedJob } from '../../../../nodes/Seedance/jobs/trackedJob';
import type { Sandbox } from '../../../../sandbox';
import { credentialsFor, runInNode, useSandbox } from '../fixtures';

// Jobs stay open for the whole file: every read finds them QUEUED or PROCESSING.
const sandboxOf = useSandbox({ queueMs: 0, processingMs: 600_000 });
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

async function submitJob(model = 'seedance-2'): Promise<string> {
	const response = await fetch(`${sandbox.url}/v2/videos/generate`, {
		method: 'POST',
		headers: { 'x-api-key': sandbox.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ model, prompt: 'A lighthouse at dusk' }),
	});
	return ((await response.json()) as { jobId: string }).jobId;
}

/** `ours` of the run's jobs, with `foreignPerJob` other jobs of the account submitted after each. */
async function interleaved(ours: number, foreignPerJob: number): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < ours; i++) {
		ids.push(await submitJob());
		for (let f = 0; f < foreignPerJob; f++) await submitJob();
	}
	return ids;
}

/** The run's jobs as just submitted: their ID and status, no createdAt yet. */
function justSubmitted(ids: string[]): SubmittedJob[] {
	return ids.map((id, itemIndex) => submitted(itemIndex, id, null, { id, status: 'QUEUED', model: 'seedance-2' }));
}

/** Reads the jobs once in a real execution; returns what became of them and the requests it took. */
async function readOnce(jobs: SubmittedJob[]) {
	const before = sandbox.requests.length;
	let read: ReadJob[] = [];
	const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
		read = await readJobs.call(this, jobs, { concurrency: 5 });
		return read.map((job): INodeExecutionData => ({ json: { kind: job.kind } }));
	});
	expect(run.error).toBeUndefined();
	const requests = sandbox.requests.slice(before).filter((r) => r.path.startsWith('/v2/jobs'));
	return {
		read,
		pages: requests.filter((r) => r.path === '/v2/jobs'),
		byId: requests.filter((r) => r.path !== '/v2/jobs'),
		total: requests.length,
	};
}

function expectEveryJobRead(read: ReadJob[], ids: string[]) {
	expect(read.map((job) => job.kind === 'submitted' && job.lastSeen?.id)).toEqual(ids);
	for (const job of read) expect(job.kind === 'submitted' && job.lastSeen?.createdAt).toEqual(expect.any(String));
}

describe('reading a run\'s open jobs through the job list', () => {
	it('reads 250 open jobs in ceil(250 / 100) = 3 pages of 100, filtered by the run\'s model', async () => {
		const ids = await interleaved(250, 0);
		const { read, pages, byId } = await readOnce(justSubmitted(ids));
		expectEveryJobRead(read, ids);
		expect(pages).toHaveLength(3);
		expect(byId).toHaveLength(0);
		expect(pages[0].query).toEqual({ limit: '100', model: 'seedance-2' });
		expect(pages[1].query).toEqual({ limit: '100', model: 'seedance-2', cursor: expect.any(String) });
	});

	it('keeps to ceil(n / 100) + 1 requests with up to 100 other jobs of the account interleaved', async () => {
		// 150 of the run's jobs, 100 other jobs of the same model spread among them.
		const ids: string[] = [];
		for (let i = 0; i < 150; i++) {
			ids.push(await submitJob());
			if (i % 3 !== 0) await submitJob();
		}
		const { read, total, byId } = await readOnce(justSubmitted(ids));
		expectEveryJobRead(read, ids);
		expect(total).toBeLessThanOrEqual(Math.ceil(150 / 100) + 1);
		expect(byId).toHaveLength(0);
	});

	it('with many other jobs interleaved, pages only while they pay and reads the rest by ID: never more than ceil(W / 100) + 2 above reading each by ID', async () => {
		// Four other jobs after each of 120 of the run's: the run's jobs are a fifth of the list.
		const ids = await interleaved(120, 4);
		const { read, pages, byId, total } = await readOnce(justSubmitted(ids));
		expectEveryJobRead(read, ids);
		// The budget of ceil(120 / 100) + 1 = 3 pages, then more only while a page held two or more
		// of the run's jobs: each then found 20, so paging goes on to the run's oldest job.
		expect(pages.length).toBeGreaterThan(3);
		expect(pages.length).toBeLessThanOrEqual(Math.ceil((120 * 5) / 100));
		expect(byId).toHaveLength(0);
		expect(total).toBeLessThanOrEqual(120 + Math.ceil(120 / 100) + 2);
	});

	it('reads by ID the jobs that unproductive pages did not reach', async () => {
		// 200 other jobs after the run's 3: the first pages hold none of them.
		const ids = await interleaved(3, 0);
		for (let i = 0; i < 200; i++) await submitJob();
		const { read, pages, byId, total } = await readOnce(justSubmitted(ids));
		expectEveryJobRead(read, ids);
		expect(pages).toHaveLength(2);
		expect(byId.map((r) => r.path).sort()).toEqual(ids.map((id) => `/v2/jobs/${id}`).sort());
		expect(total).toBeLessThanOrEqual(ids.length + Math.ceil(3 / 100) + 2);
	});

	it('stops paging at the run\'s oldest open job once createdAt is known: older history is never read', async () => {
		for (let i = 0; i < 300; i++) await submitJob();
		const ids = await interleaved(150, 0);
		const first = await readOnce(justSubmitted(ids));
		expect(first.pages).toHaveLength(2);
		// Known createdAt now: the second page reaches jobs older than all of them, so paging stops
		// there even though the budget (ceil(150 / 100) + 1 = 3) would allow a third.
		const again = await readOnce(first.read as SubmittedJob[]);
		expectEveryJobRead(again.read, ids);
		expect(again.pages).toHaveLength(2);
		expect(again.total).toBe(2);
	});

	it('falls back to GET /v2/jobs/{id} for a job the list does not give (here: listed under another model)', async () => {
		const ids = await interleaved(5, 0);
		const other = await submitJob('seedance-2-fast');
		// The run believes all six are seedance-2, so the list is filtered by it and misses one.
		const all = [...ids, other];
		const { read, pages, byId } = await readOnce(justSubmitted(all));
		expectEveryJobRead(read, all);
		expect(pages).toHaveLength(1);
		expect(byId.map((r) => r.path)).toEqual([`/v2/jobs/${other}`]);
	});

	it('reads every job by ID when a page cannot be read', async () => {
		const ids = await interleaved(4, 0);
		sandbox.faults.push({ method: 'GET', path: '/v2/jobs', status: 400 });
		const { read, pages, byId } = await readOnce(justSubmitted(ids));
		expectEveryJobRead(read, ids);
		expect(pages).toHaveLength(1);
		expect(byId).toHaveLength(4);
	});

	it('reads one or two jobs by ID: the list could not take fewer requests', async () => {
		const ids = await interleaved(2, 0);
		const two = await readOnce(justSubmitted(ids));
		expectEveryJobRead(two.read, ids);
		expect(two.pages).toHaveLength(0);
		expect(two.byId).toHaveLength(2);
		const one = await readOnce(justSubmitted(ids.slice(0, 1)));
		expect([one.pages.length, one.byId.length]).toEqual([0, 1]);
	});

	describe.each<[string, Fault]>([
		['answers 500', { status: 500 }],
		['is rate limited (429, Retry-After: 1)', { status: 429, retryAfter: 1 }],
		['drops the connection', { drop: true }],
		['answers a page this node cannot read', { status: 200, body: { jobs: 'none' } }],
	])('a job list that %s', (_, fault) => {
		it('costs one request: the poll reads every job by ID at once, without retrying the list', async () => {
			const ids = await interleaved(4, 0);
			sandbox.faults.push({ method: 'GET', path: '/v2/jobs', forMs: 60_000, ...fault });
			const { read, pages, byId } = await readOnce(justSubmitted(ids));
			expectEveryJobRead(read, ids);
			expect(pages).toHaveLength(1);
			expect(byId).toHaveLength(4);
		}, 20_000);
	});
});

describe('a stale job list', () => {
	it('is not believed for a job it shows behind its last read by ID: that job is read by ID, and the list rests', async () => {
		const ids = await interleaved(4, 0);
		// The run read the first two jobs at 50 % already; the list (the truth here) says about 0 %.
		const jobs = justSubmitted(ids).map((job, index) =>
			index < 2 && job.lastSeen ? { ...job, lastSeen: { ...job.lastSeen, status: 'PROCESSING' as const, progress: 50 } } : job,
		);
		const list = new JobListSchedule();
		const before = sandbox.requests.length;
		let read: ReadJob[] = [];
		const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
			read = await readJobs.call(this, jobs, { concurrency: 5, list });
			return [];
		});
		expect(run.error).toBeUndefined();
		const requests = sandbox.requests.slice(before);
		expect(requests.filter((r) => r.path === '/v2/jobs')).toHaveLength(1);
		expect(requests.filter((r) => r.path !== '/v2/jobs').map((r) => r.path).sort()).toEqual(ids.slice(0, 2).map((id) => `/v2/jobs/${id}`).sort());
		expectEveryJobRead(read, ids);
		// The list rests the next two polls.
		expect([list.tryThisRound(), list.tryThisRound(), list.tryThisRound()]).toEqual([false, false, true]);
	});
});

describe('polling while the job list fails', () => {
	/** Each poll of `n` open jobs, in order: 'list', 'list failed' (then by ID) or 'by ID'. */
	function polls(n: number): string[] {
		const reads = sandbox.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs'));
		const rounds: string[] = [];
		for (let i = 0; i < reads.length; ) {
			if (reads[i].path === '/v2/jobs') {
				const ok = reads[i].status === 200;
				rounds.push(ok ? 'list' : 'list failed');
				i += ok ? 1 : 1 + n;
			} else {
				rounds.push('by ID');
				i += n;
			}
		}
		return rounds;
	}

	it('reads by ID in the polls the list rests, tries it again after 2, 4, 8 polls, and uses it again once it answers', async () => {
		const ids = await interleaved(4, 0);
		sandbox.faults.push({ method: 'GET', path: '/v2/jobs', status: 500, times: 3 });
		const before = sandbox.requests.length;
		const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
			const still = await waitForJobs.call(this, JobArrivals.of(justSubmitted(ids)), {
				pollIntervalMs: 5,
				timeoutMs: 3000,
				whenTimeUp: 'return-unfinished',
				concurrency: 4,
			});
			return still.map((job) => ({ json: { kind: job.kind } }));
		});
		expect(run.error).toBeUndefined();
		sandbox.requests.splice(0, before);
		const seen = polls(ids.length);
		const F = 'list failed';
		const I = 'by ID';
		expect(seen.slice(0, 20)).toEqual([F, I, I, F, I, I, I, I, F, ...Array(8).fill(I), 'list', 'list', 'list']);
	}, 20_000);
});

