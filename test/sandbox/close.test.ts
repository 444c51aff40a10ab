import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startSandbox } from '../../sandbox';
import { KEY, sleep, startReceiver } from './helpers';

const WATCHED = ['TCPServerWrap', 'TCPSocketWrap', 'Timeout'];

function resources(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const type of process.getActiveResourcesInfo()) if (WATCHED.includes(type)) counts[type] = (counts[type] ?? 0) + 1;
	return counts;
}

/** Per-type minimum over a few samples: unrelated timers (undici's clock, jest) come and go. */
async function settled(): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (let i = 0; i < 8; i++) {
		const now = resources();
		for (const type of WATCHED) out[type] = i === 0 ? (now[type] ?? 0) : Math.min(out[type], now[type] ?? 0);
		await sleep(30);
	}
	return out;
}

describe('close()', () => {
	it('leaves no server, socket or timer behind, even mid-webhook-retry and mid-request', async () => {
		const receiver = await startReceiver([500, 500, 500]);
		const before = await settled();

		const sb = await startSandbox({ queueMs: 0, processingMs: 20, webhookRetryDelaysMs: [10000], progressWebhookIntervalMs: 10 });
		const submitted = await request(`${sb.url}/v2/videos/generate`, {
			method: 'POST',
			headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
			body: JSON.stringify({ model: 'seedance-2', prompt: 'x', webhookUrl: receiver.url, webhookEvents: ['progress', 'completed'] }),
		});
		await submitted.body.dump();
		// the first delivery got a 500: a 10 s retry wait is now pending
		await sleep(200);
		expect(sb.webhookDeliveries.length).toBeGreaterThan(0);
		sb.faults.push({ path: '/v2/me', delayMs: 10000 });
		const slow = request(`${sb.url}/v2/me`, { headers: { 'x-api-key': KEY } }).then(
			(r) => r.body.text(),
			(e: Error) => e,
		);
		await sleep(50);
		expect((resources().Timeout ?? 0) - before.Timeout).toBeGreaterThanOrEqual(1);

		const started = Date.now();
		await sb.close();
		await sb.close();
		expect(Date.now() - started).toBeLessThan(1000);
		await slow;
		await receiver.close();
		await sleep(50);

		const after = await settled();
		expect(after.TCPServerWrap).toBe(before.TCPServerWrap - 1);
		expect(after.TCPSocketWrap).toBeLessThanOrEqual(before.TCPSocketWrap);
		expect(after.Timeout).toBeLessThanOrEqual(before.Timeout);
		await expect(request(sb.url)).rejects.toThrow();
	});

	it('removes its temporary upload directory', async () => {
		const sb = await startSandbox();
		const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(10)]);
		const form = new FormData();
		form.append('file', new Blob([png]), 'a.png');
		const res = await fetch(`${sb.url}/v2/uploads`, { method: 'POST', headers: { 'x-api-key': KEY }, body: form });
		const { id } = (await res.json()) as { id: string };
		const dirs = readdirSync(tmpdir())
			.filter((d) => d.startsWith('apiframe-sandbox-'))
			.map((d) => join(tmpdir(), d))
			.filter((d) => existsSync(join(d, id)));
		expect(dirs).toHaveLength(1);
		await sb.close();
		expect(existsSync(dirs[0])).toBe(false);
	});
});
