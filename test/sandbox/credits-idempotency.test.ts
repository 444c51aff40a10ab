import type { Sandbox } from '../../sandbox';
import { validateAgainstComponent } from '../../sandbox/openapi';
import { api, start, submit, waitForStatus } from './helpers';

describe('credits and idempotency', () => {
	let sb: Sandbox;
	beforeAll(async () => {
		sb = await start({ credits: 1000 });
	});
	afterAll(() => sb.close());
	beforeEach(() => sb.reset());

	const credits = async () => (await api(sb, 'GET', '/v2/me')).json.team.credits as number;

	it('describes the caller in the Me shape', async () => {
		const me = await api(sb, 'GET', '/v2/me');
		expect(me.status).toBe(200);
		expect(validateAgainstComponent('Me', me.json).errors).toEqual([]);
		expect(me.json.team.credits).toBe(1000);
		expect(me.json.apiKey.prefix).toBe('afk_sand');
	});

	it('charges duration x per-model rate at submit, 5 s when no duration is given', async () => {
		await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 10 } });
		expect(await credits()).toBe(900);
		await submit(sb, { model: 'seedance-2-fast', prompt: 'x' });
		expect(await credits()).toBe(870);
		await submit(sb, { model: 'seedance-2.5', prompt: 'x', seedanceParams: { duration: 4 } });
		expect(await credits()).toBe(814);
		await submit(sb, { model: 'seedance-1-lite', prompt: 'x', seedanceParams: { duration: 10 } });
		expect(await credits()).toBe(764);
	});

	it('answers 402 with creditsRequired and creditsAvailable when the balance is short', async () => {
		sb.setOptions({ credits: 30 });
		try {
			const res = await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 4 } });
			expect(res.status).toBe(402);
			expect(res.json).toEqual({ error: 'Insufficient credits', creditsRequired: 40, creditsAvailable: 30 });
			expect(validateAgainstComponent('InsufficientCredits', res.json).errors).toEqual([]);
			expect(sb.jobs.list()).toHaveLength(0);
		} finally {
			sb.setOptions({ credits: 1000 });
		}
	});

	it('replays the same Idempotency-Key and body: original jobId, current status, one charge', async () => {
		sb.setOptions({ queueMs: 0, processingMs: 100 });
		const body = { model: 'seedance-2', prompt: 'once', seedanceParams: { duration: 5 } };
		const first = await submit(sb, body, { 'idempotency-key': 'run-1' });
		expect(first.status).toBe(202);
		// key order does not make a different body
		const again = await submit(sb, { seedanceParams: { duration: 5 }, prompt: 'once', model: 'seedance-2' }, { 'idempotency-key': 'run-1' });
		expect(again.status).toBe(202);
		expect(again.json.jobId).toBe(first.json.jobId);
		expect(sb.jobs.list()).toHaveLength(1);
		expect(await credits()).toBe(950);

		await waitForStatus(sb, first.json.jobId, 'COMPLETED');
		const late = await submit(sb, body, { 'idempotency-key': 'run-1' });
		expect(late.json).toEqual({ jobId: first.json.jobId, status: 'COMPLETED' });
		expect(await credits()).toBe(950);
	});

	it('answers 409 for a used key with a different body', async () => {
		await submit(sb, { model: 'seedance-2', prompt: 'one' }, { 'idempotency-key': 'run-2' });
		const res = await submit(sb, { model: 'seedance-2', prompt: 'two' }, { 'idempotency-key': 'run-2' });
		expect(res.status).toBe(409);
		expect(res.json).toEqual({ error: expect.any(String) });
		expect(sb.jobs.list()).toHaveLength(1);
	});

	it('creates distinct jobs without a key', async () => {
		const body = { model: 'seedance-2', prompt: 'twice' };
		const a = await submit(sb, body);
		const b = await submit(sb, body);
		expect(a.json.jobId).not.toBe(b.json.jobId);
	});
});
