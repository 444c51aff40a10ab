import type { Sandbox } from '../../sandbox';
import { validateAgainstComponent } from '../../sandbox/openapi';
import { api, start, submit } from './helpers';

describe('GET /v2/jobs', () => {
	let sb: Sandbox;
	const created: string[] = [];
	/** The given jobs in the list's order: (createdAt desc, id desc). */
	const listOrder = (ids: string[]) =>
		[...ids].sort((a, b) => sb.jobs.get(b)!.createdAt - sb.jobs.get(a)!.createdAt || (a < b ? 1 : -1));
	beforeAll(async () => {
		sb = await start({ queueMs: 0, processingMs: 60000 });
		for (let i = 0; i < 25; i++) {
			const model = i % 5 === 0 ? 'seedance-2-fast' : 'seedance-2';
			created.push((await submit(sb, { model, prompt: `job ${i}` })).json.jobId);
		}
		sb.jobs.completeNow(created[0]);
	});
	afterAll(() => sb.close());

	it('pages newest first with a cursor, 20 per page by default', async () => {
		const first = await api(sb, 'GET', '/v2/jobs');
		expect(first.status).toBe(200);
		expect(validateAgainstComponent('JobList', first.json).errors).toEqual([]);
		expect(first.json.jobs).toHaveLength(20);
		expect(first.json.hasMore).toBe(true);

		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const res: any = await api(sb, 'GET', `/v2/jobs?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			seen.push(...res.json.jobs.map((j: any) => j.id));
			cursor = res.json.nextCursor;
			expect(res.json.hasMore).toBe(cursor !== null);
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual(listOrder(created));
	});

	it('lists the caller\'s jobs by default and the team\'s with scope=team (the sandbox user is OWNER)', async () => {
		const user = await api(sb, 'GET', '/v2/jobs?limit=100&scope=user');
		const team = await api(sb, 'GET', '/v2/jobs?limit=100&scope=team');
		expect(user.json.jobs.map((j: any) => j.id)).toEqual(listOrder(created));
		expect(team.json.jobs.map((j: any) => j.id)).toEqual(listOrder(created));
	});

	it('filters by status and model, and lists models on request', async () => {
		const completed = await api(sb, 'GET', '/v2/jobs?status=COMPLETED');
		expect(completed.json.jobs.map((j: any) => j.id)).toEqual([created[0]]);
		const fast = await api(sb, 'GET', '/v2/jobs?model=seedance-2-fast&limit=100');
		expect(fast.json.jobs).toHaveLength(5);
		expect(fast.json.hasMore).toBe(false);
		expect(fast.json.nextCursor).toBeNull();
		const withModels = await api(sb, 'GET', '/v2/jobs?limit=1&include_models=true');
		expect(withModels.json.models).toEqual(['seedance-2', 'seedance-2-fast']);
		const search = await api(sb, 'GET', `/v2/jobs?search=${created[3]}`);
		expect(search.json.jobs.map((j: any) => j.id)).toEqual([created[3]]);
	});

	it('lists each job with exactly the fields of the OpenAPI list item: no input', async () => {
		const res = await api(sb, 'GET', '/v2/jobs?limit=1');
		expect(Object.keys(res.json.jobs[0]).sort()).toEqual(
			['completedAt', 'createdAt', 'creditCost', 'error', 'expired', 'id', 'model', 'progress', 'result', 'status', 'webhookStatus'],
		);
		const single = await api(sb, 'GET', `/v2/jobs/${res.json.jobs[0].id}`);
		expect(single.json.input).toEqual(expect.any(Object));
	});

	it('keeps the filters across pages: the cursor walks only the matching jobs', async () => {
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const res: any = await api(sb, 'GET', `/v2/jobs?model=seedance-2-fast&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			seen.push(...res.json.jobs.map((j: any) => j.id));
			cursor = res.json.nextCursor;
		} while (cursor);
		expect(seen).toEqual(listOrder(created.filter((_, i) => i % 5 === 0)));
	});

	it.each(['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'status=DONE', 'cursor=%21%21', 'cursor=eyJ0IjoxfQ', 'scope=org', 'search=nope'])('answers 400 for %s', async (query) => {
		const res = await api(sb, 'GET', `/v2/jobs?${query}`);
		expect(res.status).toBe(400);
		expect(Object.keys(res.json.details)).toEqual([query.split('=')[0]]);
	});
});

describe('GET /v2/jobs with jobs of the same millisecond', () => {
	it('orders them by id, descending, and the cursor pages through the tie without loss or repeat', async () => {
		const sb = await start({ queueMs: 0, processingMs: 60000 });
		try {
			const ids: string[] = [];
			for (let i = 0; i < 7; i++) ids.push((await submit(sb, { model: 'seedance-2', prompt: `tie ${i}` })).json.jobId);
			const instant = sb.jobs.get(ids[0])!.createdAt;
			for (const id of ids.slice(1, 6)) sb.jobs.get(id)!.createdAt = instant + 5;
			sb.jobs.get(ids[6])!.createdAt = instant + 10;

			const seen: string[] = [];
			let cursor: string | null = null;
			do {
				const res: any = await api(sb, 'GET', `/v2/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
				seen.push(...res.json.jobs.map((j: any) => j.id));
				cursor = res.json.nextCursor;
			} while (cursor);
			const tied = ids.slice(1, 6).sort().reverse();
			expect(seen).toEqual([ids[6], ...tied, ids[0]]);
		} finally {
			await sb.close();
		}
	});
});
