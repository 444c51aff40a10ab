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

	it('charges duration x the rate of the model and resolution at submit: 5 s and 720p when not given', async () => {
		await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 10 } });
		expect(await credits()).toBe(900);
		await submit(sb, { model: 'seedance-2-fast', prompt: 'x' });
		expect(await credits()).toBe(865);
		await submit(sb, { model: 'seedance-2.5', prompt: 'x', seedanceParams: { duration: 4, resolution: '1080p' } });
		expect(await credits()).toBe(745);
		await submit(sb, { model: 'seedance-1-lite', prompt: 'x', seedanceParams: { duration: 5, resolution: '480p' } });
		expect(await credits()).toBe(737);
	});

	it('doubles 1.5 Pro with audio, and only 1.5 Pro', async () => {
		await submit(sb, { model: 'seedance-1.5-pro', prompt: 'x', seedanceParams: { duration: 4, resolution: '1080p', generate_audio: true } });
		expect(await credits()).toBe(912);
		await submit(sb, { model: 'seedance-1.5-pro', prompt: 'x', seedanceParams: { duration: 4, resolution: '1080p', generate_audio: false } });
		expect(await credits()).toBe(868);
		await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 4, resolution: '480p', generate_audio: true } });
		expect(await credits()).toBe(852);
	});

	it('publishes per-second rate ranges that cover what it charges, except 2.5 at 4k', async () => {
		const catalogue = (await api(sb, 'GET', '/v2/models?modality=video', { key: null })).json;
		expect(validateAgainstComponent('ModelCatalog', catalogue).errors).toEqual([]);
		const byId = Object.fromEntries(catalogue.models.map((m: { id: string }) => [m.id, m]));
		expect(byId['seedance-2']).toMatchObject({ costMin: 4, costMax: 60, pricingMode: 'per-second' });
		expect(byId['seedance-2.5']).toMatchObject({ costMin: 6, costMax: 30, pricingMode: 'per-second' });
		expect(byId['seedance-1.5-pro']).toMatchObject({ costMin: 2, costMax: 22, pricingMode: 'per-second' });
		const at4k = await submit(sb, { model: 'seedance-2.5', prompt: 'x', seedanceParams: { duration: 4, resolution: '4k' } });
		expect((await api(sb, 'GET', `/v2/jobs/${at4k.json.jobId}`)).json.creditCost).toBe(440);
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
