import { claimInThisProcess, DELIVERY_LOG_SIZE, rememberDelivery } from '../../../../nodes/Seedance/trigger/deliveryLog';

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
