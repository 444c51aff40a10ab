import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { fetchAccount } from '../../../../nodes/Seedance/transport/apiframe';
import { paceRequests } from '../../../../nodes/Seedance/transport/pacing';
import type { Sandbox } from '../../../../sandbox';
import { credentialsFor, generateParameters, prompts, runInNode, runSeedance, useSandbox } from '../fixtures';

const sandboxOf = useSandbox({ queueMs: 0, processingMs: 300, videoBytes: 16 * 1024 });
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});
afterEach(() => sandbox.setOptions({ rateLimitPerSecond: 0 }));

describe('pacing an execution\'s requests to Apiframe\'s rate limit', () => {
	it('backs off on 429, honours Retry-After, and grows again once answers are quiet', async () => {
		sandbox.setOptions({ rateLimitPerSecond: 10 });
		const limits: number[] = [];
		const run = await runInNode(credentialsFor(sandbox).credentials.seedanceApi, async function (this: IExecuteFunctions) {
			const limit = paceRequests(this, 16);
			// 16 at once against 10 a second: a burst of 429s, then every read goes through.
			await Promise.all(Array.from({ length: 16 }, async () => await fetchAccount.call(this, 0)));
			limits.push(limit.limit);
			// Quiet answers (the limit lifted) grow it back: +1 after a round of 8.
			sandbox.setOptions({ rateLimitPerSecond: 0 });
			for (let i = 0; i < 10; i++) await fetchAccount.call(this, 0);
			limits.push(limit.limit);
			return [] as INodeExecutionData[];
		});
		expect(run.error).toBeUndefined();
		const answers = sandbox.requests.filter((r) => r.path === '/v2/me');
		const throttled = answers.filter((r) => r.status === 429);
		expect(answers.filter((r) => r.status === 200)).toHaveLength(26);
		// The burst hit the limit (how many of the 16 found the bucket empty depends on how fast this
		// machine sent them: the bucket refills 10 a second); after it, one halving for the whole burst.
		expect(throttled.length).toBeGreaterThan(0);
		expect(limits).toEqual([8, 9]);
		// The first 16 arrivals are the burst; everything after was sent again after a 429, and none of
		// it before the Retry-After (1 s) had passed.
		const arrivals = answers.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
		const firstThrottle = Math.min(...throttled.map((r) => Date.parse(r.time)));
		const resent = arrivals.slice(16, 16 + throttled.length);
		expect(resent).toHaveLength(throttled.length);
		for (const time of resent) expect(time - firstThrottle).toBeGreaterThanOrEqual(900);
	});

	it('Generate at its default concurrency finishes 40 rows against a rate limit, each billed once, with few 429s', async () => {
		sandbox.setOptions({ rateLimitPerSecond: 25 });
		const texts = Array.from({ length: 40 }, (_, i) => `Row ${i}`);
		const result = await runSeedance(sandbox, generateParameters({}, { pollInterval: 1, maxCredits: 100_000 }), {
			inputItems: prompts(...texts),
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(texts.map(() => 'COMPLETED'));
		expect(sandbox.jobs.list()).toHaveLength(40);
		const api = sandbox.requests.filter((r) => r.path.startsWith('/v2/'));
		const throttled = api.filter((r) => r.status === 429).length;
		// Without back-off, every request beyond 25 in the first second would be refused, again and
		// again; with it the refusals stay a small share of the traffic.
		expect(throttled).toBeGreaterThan(0);
		expect(throttled).toBeLessThan(api.length / 2);
	});
});
