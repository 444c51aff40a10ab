import { deliveryKey, eventToJob, readDelivery, type Delivery } from '../../../../nodes/Seedance/webhooks/event';

function read(body: unknown, header?: string): Delivery {
	return readDelivery(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), header);
}

describe('a job event', () => {
	it('keys progress events by their progress, so each step counts once', () => {
		expect(deliveryKey(read({ event: 'progress', jobId: 'j', progress: 40 }))).toBe('j:progress:40');
		expect(deliveryKey(read({ event: 'completed', jobId: 'j', progress: 100 }))).toBe('j:completed');
	});

	it('reads an event as a job', () => {
		expect(eventToJob({ event: 'failed', jobId: 'j', error: 'boom', model: 'seedance-2' })).toMatchObject({
			id: 'j',
			status: 'FAILED',
			error: 'boom',
		});
	});
});

describe('reading a delivery', () => {
	it("takes the event's name from event, else type, else the X-Webhook-Event header, else the status", () => {
		const sources = [
			read({ event: 'completed', type: 'failed', jobId: 'j', status: 'FAILED' }, 'failed'),
			read({ type: 'completed', jobId: 'j', status: 'FAILED' }, 'failed'),
			read({ jobId: 'j', status: 'FAILED' }, 'completed'),
			read({ jobId: 'j', status: 'COMPLETED' }),
		];
		expect(sources.map((delivery) => (delivery.kind === 'jobEvent' ? [delivery.event.event, delivery.source] : delivery.kind))).toEqual([
			['completed', 'event'],
			['completed', 'type'],
			['completed', 'header'],
			['completed', 'status'],
		]);
	});

	it('maps every job status to an event, a cancelled job to failed', () => {
		const events = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'].map((status) => {
			const delivery = read({ jobId: 'j', status });
			return delivery.kind === 'jobEvent' ? delivery.event.event : delivery.reason;
		});
		expect(events).toEqual(['progress', 'progress', 'completed', 'failed', 'failed']);
	});

	it('reads names in other spellings: Completed, job.completed, job_failed', () => {
		const names = ['Completed', 'job.completed', 'job_failed'].map((event) => {
			const delivery = read({ event, jobId: 'j' });
			return delivery.kind === 'jobEvent' ? delivery.event.event : delivery.reason;
		});
		expect(names).toEqual(['completed', 'completed', 'failed']);
	});

	it('keeps unknown fields and reads a field of an unexpected type as absent', () => {
		const delivery = read({ event: 'completed', jobId: 'j', progress: '100', teamId: 't1', extra: { a: 1 } });
		expect(delivery).toMatchObject({ kind: 'jobEvent', event: { event: 'completed', jobId: 'j', teamId: 't1', extra: { a: 1 } } });
		expect(delivery.kind === 'jobEvent' && delivery.event.progress).toBeUndefined();
	});

	it('says why a payload is not a job event, and keeps it', () => {
		const cases = [
			read({ event: 'job.expired', jobId: 'j' }),
			read({ event: 'completed' }),
			read({ hello: 'world' }),
			read([1, 2]),
			read('not json'),
		];
		expect(cases.map((delivery) => (delivery.kind === 'other' ? [delivery.name, delivery.reason] : delivery.kind))).toEqual([
			['job.expired', '"job.expired" is not an event the node knows'],
			['completed', 'it has no jobId'],
			[null, 'it names no event (no event, type, X-Webhook-Event or known status)'],
			[null, 'the body is not a JSON object'],
			[null, 'the body is not JSON'],
		]);
		expect(cases.map((delivery) => delivery.kind === 'other' && delivery.body)).toEqual([
			{ event: 'job.expired', jobId: 'j' },
			{ event: 'completed' },
			{ hello: 'world' },
			[1, 2],
			'not json',
		]);
	});

	it('keys an unmapped delivery by its bytes', () => {
		expect(deliveryKey(read({ event: 'x', jobId: 'j' }))).toBe(deliveryKey(read({ event: 'x', jobId: 'j' })));
		expect(deliveryKey(read({ event: 'x', jobId: 'j' }))).not.toBe(deliveryKey(read({ event: 'x', jobId: 'k' })));
	});
});
