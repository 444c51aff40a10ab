import {
	claimInThisProcess,
	DELIVERY_LOG_SIZE,
	passedInThisProcessFor,
	rememberDelivery,
} from '../../../../nodes/Seedance/trigger/deliveryLog';

describe('remembering deliveries', () => {
	it('tells a repeated delivery apart from a new one', () => {
		const staticData = {};
		expect(rememberDelivery(staticData, 'j1:completed')).toBe(true);
		expect(rememberDelivery(staticData, 'j1:completed')).toBe(false);
		expect(rememberDelivery(staticData, 'j1:failed')).toBe(true);
	});

	it('stays bounded, forgetting the oldest first', () => {
		const staticData: { recentDeliveries?: string[] } = {};
		for (let i = 0; i < DELIVERY_LOG_SIZE + 50; i++) rememberDelivery(staticData, `job-${i}:completed`);
		expect(staticData.recentDeliveries).toHaveLength(DELIVERY_LOG_SIZE);
		expect(rememberDelivery(staticData, 'job-0:completed')).toBe(true);
		expect(rememberDelivery(staticData, `job-${DELIVERY_LOG_SIZE + 49}:completed`)).toBe(false);
	});

	it('saves, with the later of two deliveries that arrived together, the earlier one\'s key too', () => {
		// n8n hands each request its own copy of static data, read before any of them was saved.
		const trigger = 'wf-d:node:webhook';
		const copies: Array<{ recentDeliveries?: string[] }> = [{ recentDeliveries: ['j0:completed'] }, { recentDeliveries: ['j0:completed'] }];
		for (const [i, copy] of copies.entries()) {
			const key = `j${i + 1}:completed`;
			expect(claimInThisProcess(trigger, key)).toBe(true);
			expect(rememberDelivery(copy, key, passedInThisProcessFor(trigger))).toBe(true);
		}
		// Saved last, the second copy would have erased the first delivery's key.
		expect(copies[1].recentDeliveries).toEqual(['j0:completed', 'j1:completed', 'j2:completed']);
		expect(rememberDelivery(copies[1], 'j1:completed')).toBe(false);
	});

	it('brings back no key of this process that the log has since let age out', () => {
		// j1 and j2 were saved from this process; then another processor's deliveries pushed j1 out.
		const staticData = { recentDeliveries: ['other-1:completed', 'j2:completed', 'other-2:completed'] };
		expect(rememberDelivery(staticData, 'j4:completed', ['j1:completed', 'j2:completed', 'j3:completed', 'j4:completed'])).toBe(true);
		expect(staticData.recentDeliveries).toEqual(['other-1:completed', 'j2:completed', 'other-2:completed', 'j3:completed', 'j4:completed']);
	});
});

describe('claiming deliveries in this process', () => {
	it('lets a delivery through once per trigger', () => {
		expect(claimInThisProcess('wf-a:node:webhook', 'j1:completed')).toBe(true);
		expect(claimInThisProcess('wf-a:node:webhook', 'j1:completed')).toBe(false);
		expect(claimInThisProcess('wf-a:node:webhook', 'j1:failed')).toBe(true);
		expect(claimInThisProcess('wf-b:node:webhook', 'j1:completed')).toBe(true);
	});

	it('stays bounded, forgetting the oldest first', () => {
		for (let i = 0; i < DELIVERY_LOG_SIZE + 50; i++) claimInThisProcess('wf-c:node:webhook', `job-${i}:completed`);
		expect(claimInThisProcess('wf-c:node:webhook', `job-${DELIVERY_LOG_SIZE + 49}:completed`)).toBe(false);
		expect(claimInThisProcess('wf-c:node:webhook', 'job-0:completed')).toBe(true);
	});
});
