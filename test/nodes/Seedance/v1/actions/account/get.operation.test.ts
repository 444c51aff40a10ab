import type { Sandbox } from '../../../../../../sandbox';
import { credentialsFor, runSeedance, useSandbox } from '../../../fixtures';

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

	it("says a Base URL that answers 404 does not serve Apiframe's API, naming it, rather than speaking of a job", async () => {
		const wrongBase = `${sandbox.url}/n8n`;
		const { credentials } = credentialsFor(sandbox);
		const result = await runSeedance(
			sandbox,
			{ resource: 'account', operation: 'get' },
			{ credentials: { seedanceApi: { ...credentials.seedanceApi, baseUrl: wrongBase } } },
		);
		expect(result.error?.message).toBe(`The Base URL ${wrongBase} does not serve Apiframe's API: GET /v2/me answered 404: Not found`);
		expect(result.error?.message).not.toMatch(/job/i);
		expect(result.error?.description).toContain('Set Base URL in the Seedance API credential');
	});
});
