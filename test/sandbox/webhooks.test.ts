import { createHash, createHmac } from 'node:crypto';
import type { Sandbox } from '../../sandbox';
import { KEY, start, startReceiver, submit, waitFor, waitForStatus, type Receiver } from './helpers';

function expectedSignature(raw: Buffer, mode: 'digest' | 'hex'): string {
	const digest = createHash('sha256').update(KEY).digest();
	const key = mode === 'digest' ? digest : digest.toString('hex');
	return `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;
}

describe('webhooks', () => {
	let sb: Sandbox;
	let receiver: Receiver;
	beforeAll(async () => {
		sb = await start({ queueMs: 20, processingMs: 600, progressWebhookIntervalMs: 100 });
	});
	afterAll(() => sb.close());
	beforeEach(async () => {
		sb.reset();
		sb.setOptions({ webhookSigningKey: 'digest', queueMs: 20, processingMs: 600 });
		receiver = await startReceiver();
	});
	afterEach(() => receiver.close());

	it('sends progress then completed, signed with the raw key digest', async () => {
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 4 }, webhookUrl: receiver.url, webhookEvents: ['progress', 'completed'] })).json;
		expect(sb.jobs.view(jobId)?.webhookStatus).toBe('pending');
		await waitFor(() => receiver.received.some((r) => r.json.event === 'completed'));
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'delivered');

		const events = receiver.received.map((r) => r.json.event);
		expect(events[events.length - 1]).toBe('completed');
		const progress = receiver.received.filter((r) => r.json.event === 'progress');
		// Throttled to one per 100 ms of a 600 ms job: a count bound rather than arrival gaps, which
		// network jitter on a busy machine can shrink below the sending interval.
		expect(progress.length).toBeGreaterThanOrEqual(2);
		expect(progress.length).toBeLessThanOrEqual(7);
		for (let i = 1; i < progress.length; i++) {
			expect(progress[i].json.progress).toBeGreaterThan(progress[i - 1].json.progress);
		}
		expect(progress[0].json).toEqual({ event: 'progress', jobId, status: 'PROCESSING', progress: expect.any(Number), model: 'seedance-2' });

		const completed = receiver.received[receiver.received.length - 1];
		expect(Object.keys(completed.json)).toEqual(['event', 'jobId', 'status', 'progress', 'result', 'model', 'creditCost', 'completedAt']);
		expect(completed.json).toEqual({
			event: 'completed',
			jobId,
			status: 'COMPLETED',
			progress: 100,
			result: { videoUrl: `${sb.url}/files/${jobId}.mp4` },
			model: 'seedance-2',
			creditCost: 40,
			completedAt: sb.jobs.view(jobId)?.completedAt,
		});
		for (const r of receiver.received) {
			expect(r.headers['content-type']).toBe('application/json');
			expect(r.headers['x-webhook-event']).toBe(r.json.event);
			expect(r.headers['x-webhook-signature']).toBe(expectedSignature(r.raw, 'digest'));
		}
	});

	it('keys the HMAC with the hex digest in hex mode', async () => {
		sb.setOptions({ webhookSigningKey: 'hex', processingMs: 30 });
		await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url });
		await waitFor(() => receiver.received.length === 1);
		const [hook] = receiver.received;
		expect(hook.headers['x-webhook-signature']).toBe(expectedSignature(hook.raw, 'hex'));
		expect(hook.headers['x-webhook-signature']).not.toBe(expectedSignature(hook.raw, 'digest'));
	});

	it('sends completed and failed only when webhookEvents is absent', async () => {
		sb.setOptions({ processingMs: 300 });
		const ok = (await submit(sb, { model: 'seedance-2', prompt: 'fine', webhookUrl: receiver.url })).json.jobId;
		const bad = (await submit(sb, { model: 'seedance-2', prompt: 'bad [sandbox:fail]', webhookUrl: receiver.url })).json.jobId;
		await waitFor(() => receiver.received.length === 2);
		await waitForStatus(sb, bad, 'FAILED');
		const byJob = Object.fromEntries(receiver.received.map((r) => [r.json.jobId, r.json]));
		expect(byJob[ok].event).toBe('completed');
		expect(byJob[bad]).toEqual({ event: 'failed', jobId: bad, status: 'FAILED', error: expect.any(String), model: 'seedance-2' });
		expect(Object.keys(byJob[bad])).toEqual(['event', 'jobId', 'status', 'error', 'model']);
	});

	it('skips events that were not subscribed', async () => {
		sb.setOptions({ processingMs: 30 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url, webhookEvents: ['failed'] })).json;
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'delivered');
		expect(receiver.received).toHaveLength(0);
	});

	it('retries after a 500 and records every attempt', async () => {
		receiver.script = [500, 500];
		sb.setOptions({ processingMs: 30 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url })).json;
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'delivered');
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => r.raw.toString()))).toEqual(new Set([receiver.received[0].raw.toString()]));
		expect(sb.webhookDeliveries.map((d) => [d.attempt, d.statusCode, d.event, d.jobId, d.url])).toEqual([
			[1, 500, 'completed', jobId, receiver.url],
			[2, 500, 'completed', jobId, receiver.url],
			[3, 200, 'completed', jobId, receiver.url],
		]);
	});

	it('gives up after the last retry and marks the job webhookStatus failed', async () => {
		receiver.script = [503, 409, 500, 502, 500];
		sb.setOptions({ processingMs: 30 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url })).json;
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'failed');
		expect(receiver.received).toHaveLength(4);
	});

	it('does not retry a 4xx other than 408/409/429', async () => {
		receiver.script = [410];
		sb.setOptions({ processingMs: 30 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url })).json;
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'failed');
		expect(receiver.received).toHaveLength(1);
	});

	it('records network errors as attempts', async () => {
		const closed = await startReceiver();
		await closed.close();
		sb.setOptions({ processingMs: 30 });
		const { jobId } = (await submit(sb, { model: 'seedance-2', prompt: 'x', webhookUrl: closed.url })).json;
		await waitFor(() => sb.jobs.view(jobId)?.webhookStatus === 'failed');
		expect(sb.webhookDeliveries).toHaveLength(4);
		sb.webhookDeliveries.forEach((d) => expect(d).toEqual(expect.objectContaining({ statusCode: null, error: expect.any(String) })));
	});

	it('sends hand-made deliveries: signed, unsigned, tampered and raw', async () => {
		const payload = { event: 'completed', jobId: '11111111-1111-4111-8111-111111111111', status: 'COMPLETED' };
		const signed = await sb.sendWebhook(receiver.url, payload);
		expect(signed.statusCode).toBe(200);
		await sb.sendWebhook(receiver.url, payload, { signature: null });
		await sb.sendWebhook(receiver.url, payload, { signature: 'sha256=deadbeef' });
		await sb.sendWebhook(receiver.url, payload, { rawBody: '{"event":"completed","jobId":"x"}', event: 'completed' });

		const [a, b, c, d] = receiver.received;
		expect(a.raw.toString()).toBe(JSON.stringify(payload));
		expect(a.headers['x-webhook-signature']).toBe(expectedSignature(a.raw, 'digest'));
		expect(b.headers['x-webhook-signature']).toBeUndefined();
		expect(c.headers['x-webhook-signature']).toBe('sha256=deadbeef');
		expect(d.raw.toString()).toBe('{"event":"completed","jobId":"x"}');
		expect(d.headers['x-webhook-signature']).toBe(expectedSignature(d.raw, 'digest'));
		expect(sb.webhookDeliveries.every((x) => x.manual)).toBe(true);
	});
});
