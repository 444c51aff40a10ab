import type { IDataObject } from 'n8n-workflow';

/** How many recent deliveries the trigger remembers, in static data and in each process. */
export const DELIVERY_LOG_SIZE = 500;

/**
 * Records a delivery key in static data, oldest dropped first. Returns false when the key was
 * already there, that is when Apiframe delivered the same event again.
 *
 * n8n saves each request's copy of static data whole, so of deliveries arriving together the last
 * one saved would erase the others' keys (of 405 posted 50 at a time, 11 were left). The log saved
 * therefore also holds the keys this process has let through for the trigger (`passedHere`, oldest
 * first) since the newest of them the log already holds: every save from this process carries all
 * the process's earlier keys, so one older than a key the log holds was saved and has since aged
 * out, and is not brought back to push out newer keys of another webhook processor.
 */
export function rememberDelivery(staticData: IDataObject, key: string, passedHere: readonly string[] = [key]): boolean {
	const log = Array.isArray(staticData.recentDeliveries) ? (staticData.recentDeliveries as string[]) : [];
	const logged = new Set(log);
	if (logged.has(key)) return false;
	let newestLogged = -1;
	passedHere.forEach((passed, i) => {
		if (logged.has(passed)) newestLogged = i;
	});
	for (const passed of passedHere.slice(newestLogged + 1)) logged.add(passed);
	logged.add(key);
	staticData.recentDeliveries = [...logged].slice(-DELIVERY_LOG_SIZE);
	return true;
}

/**
 * Delivery keys this n8n process has let through, per trigger, oldest first. n8n reads static data
 * when a request arrives and saves it only after webhook() has returned, so copies of one delivery
 * arriving together all find static data without it. This record is checked and written in one
 * synchronous step, so of the copies reaching one process exactly one gets through. Another
 * process (a second webhook processor) cannot see it.
 */
const passedInThisProcess = new Map<string, Set<string>>();

/** The delivery keys this process has let through for a trigger, oldest first. */
export function passedInThisProcessFor(trigger: string): string[] {
	return [...(passedInThisProcess.get(trigger) ?? [])];
}

/** Records a delivery key for a trigger in this process; false when it was already there. */
export function claimInThisProcess(trigger: string, key: string): boolean {
	let keys = passedInThisProcess.get(trigger);
	if (!keys) {
		keys = new Set();
		passedInThisProcess.set(trigger, keys);
	}
	if (keys.has(key)) return false;
	keys.add(key);
	if (keys.size > DELIVERY_LOG_SIZE) keys.delete(keys.values().next().value as string);
	return true;
}
