// @ts-check
// Samples a process's resident memory (VmRSS from /proc) on an interval, to catch the peak of a
// short-lived allocation that a before/after comparison would miss.

import fs from 'node:fs';

/** @param {number} pid */
export function readRssKb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
	if (!m) throw new Error(`no VmRSS in /proc/${pid}/status`);
	return Number(m[1]);
}

/**
 * Starts sampling at once; stop() returns { baselineKb, peakKb, growthKb, samples }.
 * @param {number} pid
 * @param {number} [intervalMs]
 */
export function sampleRss(pid, intervalMs = 100) {
	const baselineKb = readRssKb(pid);
	const samples = [{ t: 0, kb: baselineKb }];
	const t0 = Date.now();
	const take = () => {
		try {
			samples.push({ t: Date.now() - t0, kb: readRssKb(pid) });
		} catch {
			// The process has exited; the samples so far stand.
		}
	};
	const timer = setInterval(take, intervalMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			const peakKb = Math.max(...samples.map((s) => s.kb));
			return { baselineKb, peakKb, growthKb: peakKb - baselineKb, samples };
		},
	};
}
