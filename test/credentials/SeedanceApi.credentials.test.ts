import { SeedanceApi, SEEDANCE_API_CREDENTIAL } from '../../credentials/SeedanceApi.credentials';
import { testCredential } from '../harness';
import type { Sandbox } from '../../sandbox';
import { requestsTo, useSandbox } from '../nodes/Seedance/fixtures';
import { answerOk, StandInHost } from '../nodes/Seedance/standInHosts';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

describe('the Seedance API credential test', () => {
	it('passes with a valid key and explains a wrong or inactive one', async () => {
		const credential = new SeedanceApi();
		expect(await testCredential(credential, { apiKey: sandbox.apiKey, baseUrl: `${sandbox.url}/` })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		const wrong = await testCredential(credential, { apiKey: 'afk_wrong', baseUrl: sandbox.url });
		expect(wrong).toEqual({ status: 'Error', message: expect.stringContaining('rejected the API key (401') });
		const inactive = await testCredential(credential, { apiKey: sandbox.options.inactiveApiKey, baseUrl: sandbox.url });
		expect(inactive).toEqual({ status: 'Error', message: expect.stringContaining('inactive (403') });
		const meCalls = requestsTo(sandbox, 'GET', /^\/v2\/me$/);
		expect(meCalls.length).toBeGreaterThanOrEqual(3);
		expect(meCalls.every((call) => call.headers['x-api-key'] === '[redacted]')).toBe(true);
	});
});

describe('the credential test behind a redirect', () => {
	const elsewhere = new StandInHost('127.0.0.2', answerOk);
	const redirecting = new StandInHost('127.0.0.1', (request, response) => {
		request.resume();
		response.writeHead(302, { location: `${elsewhere.origin}${request.url ?? '/'}` });
		response.end();
	});
	beforeAll(async () => {
		await elsewhere.start();
		await redirecting.start();
	});
	afterAll(async () => {
		await redirecting.close();
		await elsewhere.close();
	});

	it('fails without sending the key to the host the Base URL redirects to', async () => {
		const result = await testCredential(new SeedanceApi(), { apiKey: 'afk_redirected', baseUrl: redirecting.origin });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('The Base URL redirects elsewhere (302)') });
		expect(redirecting.requests.map((request) => request.headers['x-api-key'])).toEqual(['afk_redirected']);
		expect(elsewhere.requests).toEqual([]);
	});
});

describe('the Seedance API credential test, against a Base URL that is not Apiframe\'s API', () => {
	it('says so on a 404, rather than calling the connection failed for no reason given', async () => {
		const result = await testCredential(new SeedanceApi(), { apiKey: sandbox.apiKey, baseUrl: `${sandbox.url}/n8n` });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining("does not serve Apiframe's API") });
		expect(result.message).toContain('GET /v2/me answered 404');
		expect(result.message).not.toMatch(/job/i);
	});
});

describe('the Seedance API credential type', () => {
	it('is asked for by the name its class declares', () => {
		expect(new SeedanceApi().name).toBe(SEEDANCE_API_CREDENTIAL);
	});
});

describe('the Seedance API credential authentication', () => {
	it('sets X-API-Key from the decrypted key by a function, with no template for n8n to resolve per request', async () => {
		const { authenticate } = new SeedanceApi();
		expect(typeof authenticate).toBe('function');
		if (typeof authenticate !== 'function') return;
		const request = { url: '/v2/me', headers: { Accept: 'application/json' } };
		const authenticated = await authenticate({ apiKey: 'afk_key', baseUrl: '' }, request);
		expect(authenticated).toEqual({ url: '/v2/me', headers: { Accept: 'application/json', 'X-API-Key': 'afk_key' } });
		expect(request.headers).toEqual({ Accept: 'application/json' });
	});
});
