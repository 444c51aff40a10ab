import type { IDataObject } from 'n8n-workflow';

/** How many recent deliveries the trigger remembers in the workflow's static data. */
export const DELIVERY_LOG_SIZE = 500;

/**
 * Records a delivery key in static data, oldest dropped first. Returns false when the key was
 * already there, that is when Apiframe delivered the same event again.
 */
export function rememberDelivery(staticData: IDataObject, key: string): boolean {
	const log = Array.isArray(staticData.recentDeliveries) ? (staticData.recentDeliveries as string[]) : [];
	if (log.includes(key)) return false;
	log.push(key);
	staticData.recentDeliveries = log.slice(-DELIVERY_LOG_SIZE);
	return true;
}
