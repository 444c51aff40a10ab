import { deliveryKey, eventToJob } from '../../../../nodes/Seedance/webhooks/event';

describe('a job event', () => {
	it('keys progress events by their progress, so each step counts once', () => {
		expect(deliveryKey({ event: 'progress', jobId: 'j', progress: 40 })).toBe('j:progress:40');
		expect(deliveryKey({ event: 'completed', jobId: 'j', progress: 100 })).toBe('j:completed');
	});

	it('reads an event as a job', () => {
		expect(eventToJob({ event: 'failed', jobId: 'j', error: 'boom', model: 'seedance-2' })).toMatchObject({
			id: 'j',
			status: 'FAILED',
			error: 'boom',
		});
	});
});
