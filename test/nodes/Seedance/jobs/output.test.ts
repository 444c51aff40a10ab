import { jobToOutput } from '../../../../nodes/Seedance/jobs/output';

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
});
