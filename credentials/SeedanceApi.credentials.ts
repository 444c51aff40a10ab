import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** The credential's type name, by which the nodes ask for it (n8n's lint reads the class's copy). */
export const SEEDANCE_API_CREDENTIAL = 'seedanceApi';

/** The answers that point elsewhere; the credential test follows none of them. */
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** Where Apiframe serves its API when the credential's Base URL is left empty. */
export const APIFRAME_BASE_URL = 'https://api.apiframe.ai';

export class SeedanceApi implements ICredentialType {
	name = 'seedanceApi';

	displayName = 'Seedance API';

	icon: Icon = { light: 'file:seedance.svg', dark: 'file:seedance.dark.svg' };

	documentationUrl = 'https://docs.apiframe.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your Apiframe API key (it starts with afk_), from the Apiframe dashboard',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: APIFRAME_BASE_URL,
			description:
				'Where the Apiframe API is served. Change it only to use a proxy or the local Apiframe sandbox.',
		},
	];

	/**
	 * A function rather than a `={{$credentials.apiKey}}` template: n8n resolves a template through
	 * its expression engine on every request, and a run of 1,000 rows makes about 2,000 of them.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, 'X-API-Key': String(credentials.apiKey ?? '') },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{String($credentials.baseUrl || "${APIFRAME_BASE_URL}").replace(/\\/+$/, "")}}`,
			url: '/v2/me',
			method: 'GET',
			// The key goes to the Base URL only: a redirect fails the test instead of carrying it away.
			disableFollowRedirect: true,
		},
		rules: [
			...REDIRECT_STATUSES.map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `The Base URL redirects elsewhere (${value}), so the test stopped there and the API key was not sent on: set Base URL to the address that serves Apiframe's API itself`,
				},
			})),
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Apiframe rejected the API key (401 Unauthorized): copy the key again from the Apiframe dashboard',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: `The Base URL does not serve Apiframe's API: GET /v2/me answered 404. Set it to ${APIFRAME_BASE_URL} (Apiframe's own), or to the root of a proxy that forwards to it, without a path such as /v2`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Apiframe knows this API key but it is inactive (403 Forbidden): activate it or create a new one in the Apiframe dashboard',
				},
			},
		],
	};
}
