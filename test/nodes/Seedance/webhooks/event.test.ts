import { deliveryKey, eventToJob, readDelivery, type Delivery } from '../../../../nodes/Seedance/webhooks/event';

function read(body: unknown, header?: string): Delivery {
	return readDelivery(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), header);
}

/** Apiframe's job IDs are UUIDs; `j` and `k` stand for two jobs. */
const j = '3f0c5b7e-8a5d-4a57-9c1e-2b1f8f7d9a10';
const k = '9b2d4c6e-1a3f-4e5d-8c7b-6a5f4e3d2c1b';

describe('a job event', () => {
	it('keys progress events by their progress, so each step counts once', () => {
		expect(deliveryKey(read({ event: 'progress', jobId: j, progress: 40 }))).toBe(`${j}:progress:40`);
		expect(deliveryKey(read({ event: 'completed', jobId: j, progress: 100 }))).toBe(`${j}:completed`);
	});

	it('reads an event as a job', () => {
		expect(eventToJob({ event: 'failed', jobId: j, error: 'boom', model: 'seedance-2' })).toMatchObject({
			id: j,
			status: 'FAILED',
			error: 'boom',
		});
	});
});

describe('reading a delivery', () => {
	it("takes the event's name from the signed body (event, else type, else status), the X-Webhook-Event header only when it names none", () => {
		const sources = [
			read({ event: 'completed', type: 'failed', jobId: j, status: 'FAILED' }, 'failed'),
			read({ type: 'completed', jobId: j, status: 'FAILED' }, 'failed'),
			read({ jobId: j, status: 'COMPLETED' }, 'failed'),
			read({ jobId: j, status: 'COMPLETED' }),
			read({ jobId: j }, 'completed'),
		];
		expect(sources.map((delivery) => (delivery.kind === 'jobEvent' ? [delivery.event.event, delivery.source] : delivery.kind))).toEqual([
			['completed', 'event'],
			['completed', 'type'],
			['completed', 'status'],
			['completed', 'status'],
			['completed', 'header'],
		]);
	});

	it('lets the body win over a header that names another event, and says so', () => {
		const spoofed = read({ jobId: j, status: 'PROCESSING', progress: 40 }, 'completed');
		expect(spoofed).toMatchObject({ kind: 'jobEvent', event: { event: 'progress' }, overruledHeader: { header: 'completed', event: 'progress' } });
		expect(deliveryKey(spoofed)).toBe(`${j}:progress:40`);
		const agreeing = read({ event: 'completed', jobId: j, status: 'COMPLETED' }, 'job.completed');
		expect(agreeing.kind === 'jobEvent' && agreeing.overruledHeader).toBeUndefined();
	});

	it('does not take a header over a status the node does not know', () => {
		expect(read({ jobId: j, status: 'ARCHIVED' }, 'completed')).toMatchObject({ kind: 'other', name: 'ARCHIVED' });
	});

	it('keys a delivery by its signed content: a header cannot make one pass for another', () => {
		// The genuine completion is not a duplicate of a progress body sent with a "completed" header.
		const spoof = read({ jobId: j, status: 'PROCESSING', progress: 40 }, 'completed');
		const genuine = read({ event: 'completed', jobId: j, status: 'COMPLETED', progress: 100 }, 'completed');
		expect(deliveryKey(spoof)).not.toBe(deliveryKey(genuine));
		// A body that names no event is told apart by its bytes when the header names it.
		const headerOnlyA = read({ jobId: j, note: 'a' }, 'completed');
		const headerOnlyB = read({ jobId: j, note: 'b' }, 'completed');
		expect(deliveryKey(headerOnlyA)).not.toBe(deliveryKey(headerOnlyB));
		expect(deliveryKey(headerOnlyA)).toBe(deliveryKey(read({ jobId: j, note: 'a' }, 'completed')));
		expect(deliveryKey(headerOnlyA)).not.toBe(deliveryKey(genuine));
	});

	it('refuses a jobId that is not an Apiframe job ID before it becomes a key or a path', () => {
		const cases = ['../../v2/me', 'j', `${j}/../x`, ''].map((jobId) => read({ event: 'completed', jobId, status: 'COMPLETED' }));
		expect(cases.map((delivery) => delivery.kind === 'other' && delivery.reason)).toEqual([
			'its jobId is not an Apiframe job ID (a UUID)',
			'its jobId is not an Apiframe job ID (a UUID)',
			'its jobId is not an Apiframe job ID (a UUID)',
			'it has no jobId',
		]);
	});

	it('maps every job status to an event, a cancelled job to failed', () => {
		const events = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'].map((status) => {
			const delivery = read({ jobId: j, status });
			return delivery.kind === 'jobEvent' ? delivery.event.event : delivery.reason;
		});
		expect(events).toEqual(['progress', 'progress', 'completed', 'failed', 'failed']);
	});

	it('reads names in other spellings: Completed, job.completed, job_failed', () => {
		const names = ['Completed', 'job.completed', 'job_failed'].map((event) => {
			const delivery = read({ event, jobId: j });
			return delivery.kind === 'jobEvent' ? delivery.event.event : delivery.reason;
		});
		expect(names).toEqual(['completed', 'completed', 'failed']);
	});

	it('keeps unknown fields and reads a field of an unexpected type as absent', () => {
		const delivery = read({ event: 'completed', jobId: j, progress: '100', teamId: 't1', extra: { a: 1 } });
		expect(delivery).toMatchObject({ kind: 'jobEvent', event: { event: 'completed', jobId: j, teamId: 't1', extra: { a: 1 } } });
		expect(delivery.kind === 'jobEvent' && delivery.event.progress).toBeUndefined();
	});

	it('says why a payload is not a job event, and keeps it', () => {
		const cases = [
			read({ event: 'job.expired', jobId: j }),
			read({ event: 'completed' }),
			read({ hello: 'world' }),
			read([1, 2]),
			read('not json'),
		];
		expect(cases.map((delivery) => (delivery.kind === 'other' ? [delivery.name, delivery.reason] : delivery.kind))).toEqual([
			['job.expired', '"job.expired" is not an event the node knows'],
			['completed', 'it has no jobId'],
			[null, 'it names no event (no event, type, status or X-Webhook-Event)'],
			[null, 'the body is not a JSON object'],
			[null, 'the body is not JSON'],
		]);
		expect(cases.map((delivery) => delivery.kind === 'other' && delivery.body)).toEqual([
			{ event: 'job.expired', jobId: j },
			{ event: 'completed' },
			{ hello: 'world' },
			[1, 2],
			'not json',
		]);
	});

	it('keys an unmapped delivery by its bytes', () => {
		expect(deliveryKey(read({ event: 'x', jobId: j }))).toBe(deliveryKey(read({ event: 'x', jobId: j })));
		expect(deliveryKey(read({ event: 'x', jobId: j }))).not.toBe(deliveryKey(read({ event: 'x', jobId: k })));
	});
});
