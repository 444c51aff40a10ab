import type { Sandbox } from '../../../../../../sandbox';
import { runSeedance, useSandbox } from '../../../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

describe('Account → Get', () => {
	it('returns the credit balance and plan', async () => {
		const result = await runSeedance(sandbox, { resource: 'account', operation: 'get' });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ credits: sandbox.credits, plan: expect.any(String), team: expect.any(Object) });
	});

	it("leaves out the key's prefix, part of the secret, keeping which key it is", async () => {
		const result = await runSeedance(sandbox, { resource: 'account', operation: 'get' });
		expect(result.items[0].json.apiKey).toEqual({ id: expect.any(String), name: expect.any(String) });
		expect(JSON.stringify(result.items[0].json)).not.toContain(sandbox.apiKey.slice(0, 8));
	});
});
