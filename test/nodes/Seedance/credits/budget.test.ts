import { affordability, balanceRefusal, capRefusal, runEstimate, runFields } from '../../../../nodes/Seedance/credits/budget';
import type { CreditEstimate } from '../../../../nodes/Seedance/credits/pricing';

const range = (low: number, high: number): CreditEstimate => ({ kind: 'range', low, high, ratePerSecond: null, basis: '' });
const exact = (credits: number): CreditEstimate => ({ kind: 'exact', credits, ratePerSecond: null, basis: '' });
const unknown = (reason: string): CreditEstimate => ({ kind: 'unknown', reason });

describe("a run's estimate", () => {
	it('adds up what is known and counts, once per reason, what is not', () => {
		expect(runEstimate([range(10, 30), exact(20), unknown('no catalogue'), unknown('no catalogue')])).toEqual({
			low: 30,
			high: 50,
			items: 4,
			unpriced: 2,
			reasons: ['no catalogue'],
		});
	});

	it('is affordable only when the balance covers the upper estimate of every item', () => {
		const run = runEstimate([range(10, 30), range(10, 30)]);
		expect(affordability(run, { kind: 'read', credits: 60 })).toEqual({ kind: 'affordable' });
		expect(affordability(run, { kind: 'read', credits: 59 })).toEqual({ kind: 'short', credits: 59, shortfall: 1 });
		expect(affordability(run, { kind: 'unavailable', reason: 'down' })).toEqual({ kind: 'unknown', reason: 'down' });
		const partly = runEstimate([range(10, 30), unknown('not listed')]);
		expect(affordability(partly, { kind: 'read', credits: 1000 })).toEqual({ kind: 'unknown', reason: '1 of 2 items have no estimate: not listed' });
		expect(affordability(partly, { kind: 'read', credits: 20 })).toMatchObject({ kind: 'short', shortfall: 10 });
	});

	it('summarises the run for Estimate', () => {
		expect(runFields(runEstimate([unknown('down')]), { kind: 'unavailable', reason: 'no key' })).toEqual({
			estimatedCredits: null,
			items: 1,
			unpricedItems: 1,
			balance: null,
			affordable: null,
			shortfall: null,
			note: 'no key',
		});
	});
});

describe('refusing a run', () => {
	it('holds a cap only when every item has an upper estimate within it', () => {
		expect(capRefusal(runEstimate([range(10, 30), exact(20)]), 50)).toBeUndefined();
		expect(capRefusal(runEstimate([range(10, 30), exact(20)]), 49)?.message).toBe(
			'This run may cost up to 50 credits (estimate 30–50 for 2 items), over Options › Max Credits for This Run (49)',
		);
		const refusal = capRefusal(runEstimate([exact(1), unknown('not listed')]), 1000);
		expect(refusal?.message).toBe('Cannot hold this run to 1000 credits: 1 of its 2 items have no estimate');
		expect(refusal?.description).toContain('not listed');
	});

	it('refuses on the balance only for a known shortfall, and lets Apiframe decide otherwise', () => {
		expect(balanceRefusal(runEstimate([range(10, 30)]), { kind: 'read', credits: 30 })).toBeUndefined();
		expect(balanceRefusal(runEstimate([range(10, 30)]), { kind: 'unavailable', reason: 'down' })).toBeUndefined();
		expect(balanceRefusal(runEstimate([unknown('not listed')]), { kind: 'read', credits: 0 })).toBeUndefined();
		const refusal = balanceRefusal(runEstimate([exact(25), unknown('not listed')]), { kind: 'read', credits: 20 });
		expect(refusal?.message).toBe('The team has 20 credits, but this run may cost up to 25 (estimate 25 for 1 item): 5 short');
		expect(refusal?.description).toContain('1 items without an estimate are not counted');
	});
});
