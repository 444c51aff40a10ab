import { DELIVERY_LOG_SIZE, rememberDelivery } from '../../../../nodes/Seedance/trigger/deliveryLog';

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
