import { NodeOperationError, type INode } from 'n8n-workflow';

import { jobToOutput, toOutputItem, toOutputItems, withoutResumeToken } from '../../../../nodes/Seedance/jobs/output';
import { failed, submitted, type JobAfterSubmit } from '../../../../nodes/Seedance/jobs/trackedJob';

describe('the output of a job', () => {
	it('flattens a job into the documented output, keeping the raw job', () => {
		const job = {
			id: 'a1',
			status: 'COMPLETED',
			model: 'seedance-2',
			progress: 100,
			result: { videoUrl: 'https://cdn.test/v.mp4', lastFrameUrl: 'https://cdn.test/f.png' },
			error: null,
			creditCost: 80,
			createdAt: '2026-01-01T00:00:00Z',
			completedAt: '2026-01-01T00:02:00Z',
			expired: false,
		};
		expect(jobToOutput(job)).toEqual({
			jobId: 'a1',
			status: 'COMPLETED',
			model: 'seedance-2',
			progress: 100,
			videoUrl: 'https://cdn.test/v.mp4',
			lastFrameUrl: 'https://cdn.test/f.png',
			creditCost: 80,
			error: null,
			expired: false,
			createdAt: '2026-01-01T00:00:00Z',
			completedAt: '2026-01-01T00:02:00Z',
			job,
		});
		expect(jobToOutput({ id: 'b', status: 'QUEUED' })).not.toHaveProperty('lastFrameUrl');
	});

	it("leaves out the resume token of the job's callback URL, and nothing else", () => {
		const webhookUrl = 'https://n8n.test/webhook-waiting/42/node?signature=s3cr3t-t0ken';
		const output = jobToOutput({ id: 'c', status: 'COMPLETED', input: { prompt: 'p', webhookUrl } });
		expect(output.job).toMatchObject({ input: { prompt: 'p', webhookUrl: 'https://n8n.test/webhook-waiting/42/node' } });
		expect(JSON.stringify(output)).not.toContain('s3cr3t-t0ken');
		expect(
			['https://h/w?a=1&signature=x', 'https://h/w?signature=x&a=1', 'https://h/w?a=1&signature=x&b=2', 'https://h/w?design=x', 'https://h/w'].map(
				withoutResumeToken,
			),
		).toEqual(['https://h/w?a=1', 'https://h/w?a=1', 'https://h/w?a=1&b=2', 'https://h/w?design=x', 'https://h/w']);
	});
});

const node = { id: 'n', name: 'Seedance', type: 'seedance', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

describe('the output item of each job', () => {
	const running = submitted(1, 'j1', 'key-1', { id: 'j1', status: 'PROCESSING', progress: 40 });
	const done: JobAfterSubmit = {
		kind: 'settled',
		itemIndex: 0,
		jobId: 'j0',
		idempotencyKey: 'key-0',
		job: { id: 'j0', status: 'COMPLETED' },
		binary: { data: { data: '', mimeType: 'video/mp4' } },
	};
	const timedOut = failed(running, new NodeOperationError(node, 'Timed out', { description: 'Pick it up later.' }));

	it('is the job as last known, with the files of a completed one', () => {
		expect(toOutputItem(running, { idempotencyKey: 'key-1' })).toEqual({
			json: expect.objectContaining({ jobId: 'j1', status: 'PROCESSING', progress: 40, error: null, idempotencyKey: 'key-1' }),
			pairedItem: { item: 1 },
		});
		expect(toOutputItem(done).binary).toEqual(done.kind === 'settled' ? done.binary : undefined);
	});

	it("is a failed item's error beside its job, never with files", () => {
		expect(toOutputItem(timedOut).json).toMatchObject({ jobId: 'j1', status: 'PROCESSING', error: 'Timed out', errorDescription: 'Pick it up later.' });
		const refused = toOutputItem({ kind: 'invalid', itemIndex: 2, error: new Error('Prompt is empty') });
		expect(refused).toEqual({
			json: { jobId: null, error: 'Prompt is empty', errorDescription: null, httpStatus: null, requestId: null },
			pairedItem: { item: 2 },
		});
	});

	it('comes in input order, or fails the run with the first error and every job of the run', () => {
		expect(toOutputItems([running, done], { failRun: true }).map((item) => item.json.jobId)).toEqual(['j0', 'j1']);
		expect(() => toOutputItems([timedOut, done], { failRun: true })).toThrow('Timed out');
		expect(timedOut.error).toMatchObject({
			description: 'Pick it up later.\nJobs of this run (pick any of them up later with Job → Get):\nitem 0: job j0 COMPLETED\nitem 1: job j1 PROCESSING (Timed out)',
		});
		expect(toOutputItems([timedOut, done], { failRun: false })).toHaveLength(2);
	});
});
