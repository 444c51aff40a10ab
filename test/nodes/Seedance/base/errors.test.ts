import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import {
	apiError,
	errorOutput,
	malformedAnswerError,
	operationError,
	toNodeError,
	type ApiFailure,
} from '../../../../nodes/Seedance/base/errors';
import { AUTOMATIC_KEY_PREFIX } from '../../../../nodes/Seedance/base/idempotency';

const node: INode = {
	id: 'n1',
	name: 'Seedance',
	type: 'n8n-nodes-seedance.seedance',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function failure(status: number | undefined, body: unknown = {}, extra: Partial<ApiFailure> = {}): ApiFailure {
	return { status, body, attempts: 1, method: 'POST', path: '/v2/videos/generate', ...extra };
}

describe("turning Apiframe's failures into n8n errors", () => {
	it('names the UI fields of a 400, and keeps the request ID and the route', () => {
		const error = apiError(
			node,
			failure(400, { error: 'Invalid request', details: { 'seedanceParams.duration': ['must be at most 15'], prompt: 'too long' } }, { requestId: 'req-1' }),
			{ itemIndex: 2 },
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Apiframe rejected the request: Invalid request');
		expect(error.description).toBe(
			[
				'Video Settings › Duration (Seconds): must be at most 15',
				'Prompt: too long',
				'Change the fields named above.',
				'Request ID: req-1',
				'POST /v2/videos/generate',
			].join('\n'),
		);
		expect(error.context).toMatchObject({ httpStatus: 400, requestId: 'req-1', itemIndex: 2 });
	});

	it('says how many credits a 402 is short of', () => {
		const error = apiError(node, failure(402, { error: 'Insufficient credits', creditsRequired: 120, creditsAvailable: 40 }));
		expect(error.message).toBe('Not enough Apiframe credits: this job needs 120, the team has 40');
		expect(error.description).toContain('Add credits to the Apiframe team');
	});

	it('explains a 409 differently for the automatic key and for a key the user set', () => {
		const automatic = apiError(node, failure(409, { error: 'Key reused' }, { idempotencyKey: `${AUTOMATIC_KEY_PREFIX}e:n:0:0:abc` }));
		expect(automatic.description).toContain('A job was already submitted for this item in this execution');
		expect(automatic.description).toContain(`Idempotency-Key: ${AUTOMATIC_KEY_PREFIX}e:n:0:0:abc`);
		const custom = apiError(node, failure(409, { error: 'Key reused' }, { idempotencyKey: 'row-12' }));
		expect(custom.description).toContain('give each different request its own key');
	});

	it('tells whether a job may exist after a network failure or a 5xx', () => {
		const keyed = apiError(node, failure(undefined, undefined, { networkError: 'EPROTO (wrong version number)', attempts: 6, idempotencyKey: 'k' }));
		expect(keyed.message).toBe('Could not reach Apiframe after 6 attempts: EPROTO (wrong version number)');
		expect(keyed.description).toContain('Apiframe may or may not have accepted the job');
		// n8n words the common network codes itself; the description still gives the advice.
		const reset = apiError(node, failure(undefined, undefined, { networkError: 'ECONNRESET (socket hang up)', attempts: 6, idempotencyKey: 'k' }));
		expect(reset.message).toMatch(/^The connection to the server was closed unexpectedly/);
		expect(reset.description).toContain('Apiframe may or may not have accepted the job');
		const read = apiError(node, failure(503, { error: 'Down' }, { method: 'GET', path: '/v2/me' }));
		expect(read.message).toBe('Apiframe answered 503: Down');
		expect(read.description).toContain('Apiframe had a temporary problem: try again later.');
	});

	it('puts the job ID in the message, the description and the context', () => {
		const error = apiError(node, failure(404, { error: 'Not found' }, { method: 'GET', path: '/v2/jobs/j1' }), { jobId: 'j1', itemIndex: 0 });
		expect(error.message).toBe('Apiframe does not know this job (404): Not found (job j1)');
		expect(error.description).toContain('Job ID: j1');
		expect(errorOutput(error)).toEqual({
			jobId: 'j1',
			error: 'Apiframe does not know this job (404): Not found (job j1)',
			errorDescription: error.description,
			httpStatus: 404,
			requestId: null,
		});
	});

	it.each([
		['GET', '/v2/me'],
		['GET', '/v2/models'],
		['POST', '/v2/uploads'],
		['POST', '/v2/videos/generate'],
		['GET', '/v2/jobs'],
	])("says a 404 to %s %s means the Base URL does not serve Apiframe's API, naming it, and never speaks of a job", (method, path) => {
		const error = apiError(node, failure(404, { error: 'Not found' }, { method, path, baseUrl: 'https://n8n.example.com/api' }), { itemIndex: 0 });
		expect(error.message).toBe(`The Base URL https://n8n.example.com/api does not serve Apiframe's API: ${method} ${path} answered 404: Not found`);
		expect((error.message + (error.description ?? '')).replaceAll(path, '')).not.toMatch(/job/i);
		expect(error.description).toContain('Set Base URL in the Seedance API credential to https://api.apiframe.ai');
	});

	it('reports a malformed answer to a submit with the key that replays it', () => {
		const error = malformedAnswerError(node, { method: 'POST', path: '/v2/videos/generate', idempotencyKey: 'k1' }, 'jobId: Required', { itemIndex: 1 });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Apiframe answered POST /v2/videos/generate with something this node does not understand: jobId: Required');
		expect(error.description).toContain('Retry On Fail replays it under the same Idempotency-Key');
		expect(error.description).toContain('Idempotency-Key: k1');
	});
});

describe("the node's own errors", () => {
	it('carry the fix, the job ID and the other jobs of the run', () => {
		const error = operationError(node, 'Timed out', 'Pick it up later.', { itemIndex: 3, jobId: 'j9', batchSummary: 'item 3: job j9 QUEUED' });
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.description).toBe('Pick it up later.\nJob ID: j9\nitem 3: job j9 QUEUED');
		expect(errorOutput(error)).toMatchObject({ jobId: 'j9', error: 'Timed out', httpStatus: null });
	});

	it("pass n8n's errors on unchanged and wrap anything else", () => {
		const api = apiError(node, failure(401, { error: 'Bad key' }));
		expect(toNodeError(node, api)).toBe(api);
		const wrapped = toNodeError(node, new Error('The execution was cancelled'), 4);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('The execution was cancelled');
	});
});
