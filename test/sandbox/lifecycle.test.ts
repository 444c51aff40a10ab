import type { Sandbox } from '../../sandbox';
import { validateAgainstComponent } from '../../sandbox/openapi';
import { api, sleep, start, submit, waitForStatus } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('job lifecycle', () => {
	let sb: Sandbox;
	// Phases long enough that a loaded machine still reads the job while QUEUED and several times
	// while PROCESSING.
	beforeAll(async () => {
		sb = await start({ queueMs: 1500, processingMs: 2000 });
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.setOptions({ resultShape: 'object', lastFrameKey: 'lastFrameUrl', queueMs: 1500, processingMs: 2000 }));

	it('goes QUEUED -> PROCESSING -> COMPLETED with growing progress', async () => {
		const body = { model: 'seedance-2', prompt: 'a fox', seedanceParams: { duration: 6 } };
		const accepted = await submit(sb, body);
		expect(accepted.status).toBe(202);
		expect(accepted.json.jobId).toMatch(UUID);
		const id = accepted.json.jobId;

		const first = (await api(sb, 'GET', `/v2/jobs/${id}`)).json;
		expect(first).toEqual({
			id,
			status: 'QUEUED',
			model: 'seedance-2',
			progress: 0,
			result: null,
			error: null,
			creditCost: 60,
			webhookStatus: null,
			createdAt: expect.any(String),
			completedAt: null,
			expired: false,
			input: body,
		});
		expect(validateAgainstComponent('Job', first).errors).toEqual([]);

		const seen: Array<{ status: string; progress: number }> = [];
		let job: any;
		do {
			await sleep(40);
			job = (await api(sb, 'GET', `/v2/jobs/${id}`)).json;
			seen.push({ status: job.status, progress: job.progress });
			expect(validateAgainstComponent('Job', job).errors).toEqual([]);
		} while (job.status !== 'COMPLETED');

		const processing = seen.filter((s) => s.status === 'PROCESSING');
		expect(processing.length).toBeGreaterThan(3);
		processing.forEach((s) => expect(Number.isInteger(s.progress) && s.progress >= 0 && s.progress < 100).toBe(true));
		for (let i = 1; i < seen.length; i++) expect(seen[i].progress).toBeGreaterThanOrEqual(seen[i - 1].progress);
		expect(job.progress).toBe(100);
		expect(job.result).toEqual({ videoUrl: `${sb.url}/files/${id}.mp4` });
		expect(Date.parse(job.completedAt) - Date.parse(job.createdAt)).toBe(3500);
	});

	it('adds the last frame under the configured key when return_last_frame is set', async () => {
		sb.setOptions({ lastFrameKey: 'lastFrame', queueMs: 0, processingMs: 50 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { return_last_frame: true } })).json;
		const job = await waitForStatus(sb, jobId, 'COMPLETED');
		expect(job.result).toEqual({ videoUrl: `${sb.url}/files/${jobId}.mp4`, lastFrame: `${sb.url}/files/${jobId}-last-frame.png` });
	});

	it('returns a bare URL string in the string result shape', async () => {
		sb.setOptions({ resultShape: 'string', queueMs: 0, processingMs: 50 });
		const { jobId } = (await submit(sb, { model: 'seedance-2-mini', prompt: 'x', seedanceParams: { return_last_frame: true } })).json;
		const job = await waitForStatus(sb, jobId, 'COMPLETED');
		expect(job.result).toBe(`${sb.url}/files/${jobId}.mp4`);
	});

	it('answers 400 for a non-UUID id and 404 for an unknown or foreign job', async () => {
		expect((await api(sb, 'GET', '/v2/jobs/not-a-uuid')).status).toBe(400);
		const missing = await api(sb, 'GET', '/v2/jobs/00000000-0000-4000-8000-000000000000');
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ error: expect.any(String) });

		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'mine' })).json;
		sb.setOptions({ apiKey: 'afk_other_key' });
		try {
			expect((await api(sb, 'GET', `/v2/jobs/${jobId}`, { key: 'afk_other_key' })).status).toBe(404);
		} finally {
			sb.setOptions({ apiKey: 'afk_sandbox_test_key' });
		}
	});

	it('[sandbox:fail] ends FAILED with an error and refunds the credits', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 100 });
		const before = sb.credits;
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'boom [sandbox:fail]', seedanceParams: { duration: 4 } })).json;
		expect(sb.credits).toBe(before - 40);
		const job = await waitForStatus(sb, jobId, 'FAILED');
		expect(job.error).toEqual(expect.any(String));
		expect(job.result).toBeNull();
		expect(job.completedAt).toEqual(expect.any(String));
		expect(validateAgainstComponent('Job', job).errors).toEqual([]);
		expect((await api(sb, 'GET', '/v2/me')).json.team.credits).toBe(before);
	});

	it('[sandbox:fail=<message>] carries the message', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 20 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: '[sandbox:fail=Content policy violation] x' })).json;
		expect((await waitForStatus(sb, jobId, 'FAILED')).error).toBe('Content policy violation');
	});

	it('[sandbox:expired] completes with expired: true', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 20 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'old [sandbox:expired]' })).json;
		const job = await waitForStatus(sb, jobId, 'COMPLETED');
		expect(job.expired).toBe(true);
		expect((await api(sb, 'GET', `/files/${jobId}.mp4`, { key: null })).status).toBe(404);
	});

	it('[sandbox:cancel] ends CANCELLED, without a result or a refund', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 20 });
		const before = sb.credits;
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'stop [sandbox:cancel]', seedanceParams: { duration: 4 } })).json;
		const job = await waitForStatus(sb, jobId, 'CANCELLED');
		expect(job).toEqual(expect.objectContaining({ result: null, error: null, completedAt: expect.any(String) }));
		expect(validateAgainstComponent('Job', job).errors).toEqual([]);
		expect((await api(sb, 'GET', `/files/${jobId}.mp4`, { key: null })).status).toBe(404);
		expect(sb.credits).toBe(before - 40);
	});

	it('[sandbox:slow=<ms>] sets the processing time of that job only', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 20 });
		const slow = (await submit(sb, { model: 'seedance-2', prompt: 'wait [sandbox:slow=60000]' })).json.jobId;
		const quick = (await submit(sb, { model: 'seedance-2', prompt: 'quick' })).json.jobId;
		await waitForStatus(sb, quick, 'COMPLETED');
		const job = (await api(sb, 'GET', `/v2/jobs/${slow}`)).json;
		expect(job.status).toBe('PROCESSING');
		expect(job.progress).toBeLessThan(10);
	});

	it('lets tests steer jobs through sandbox.jobs', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 60000 });
		const a = (await submit(sb, { model: 'seedance-2', prompt: 'a' })).json.jobId;
		const b = (await submit(sb, { model: 'seedance-2', prompt: 'b' })).json.jobId;
		sb.jobs.completeNow(a);
		expect(sb.jobs.view(a)?.status).toBe('COMPLETED');
		sb.jobs.fail(b, 'stopped by test');
		expect(sb.jobs.view(b)).toEqual(expect.objectContaining({ status: 'FAILED', error: 'stopped by test' }));
		sb.jobs.expire(a);
		expect(sb.jobs.view(a)?.expired).toBe(true);
		expect(sb.jobs.list()[0].id).toBe(b);
		const c = (await submit(sb, { model: 'seedance-2', prompt: 'c' })).json.jobId;
		sb.jobs.cancel(c);
		expect(sb.jobs.view(c)?.status).toBe('CANCELLED');
		expect(() => sb.jobs.cancel(c)).toThrow('already finished');
	});
});
