import { CONCURRENCY_LIMITS, settleSettings } from '../../../../nodes/Seedance/jobs/settle';
import { concurrencyOption } from '../../../../nodes/Seedance/v1/actions/common.descriptions';

const settingsWith = (concurrency: unknown, downloadConcurrency?: number) =>
	settleSettings({ wait: false, download: false, failedJobIsError: true, concurrency, downloadConcurrency });

describe('settleSettings', () => {
	it('holds the concurrency within its bounds, whatever an expression gives', () => {
		expect(settingsWith(500).concurrency).toBe(100);
		expect(settingsWith(0).concurrency).toBe(1);
		expect(settingsWith(7.6).concurrency).toBe(8);
		expect(settingsWith('12').concurrency).toBe(12);
		expect(settingsWith('many').concurrency).toBe(20);
		expect(settingsWith(undefined).concurrency).toBe(20);
	});

	it('downloads as many files at once as it makes requests, unless told otherwise', () => {
		expect(settingsWith(500).downloadConcurrency).toBe(100);
		expect(settingsWith(5, 1).downloadConcurrency).toBe(1);
	});

	it('uses the bounds and default the Concurrency option shows', () => {
		expect({
			default: concurrencyOption.default,
			min: concurrencyOption.typeOptions?.minValue,
			max: concurrencyOption.typeOptions?.maxValue,
		}).toEqual(CONCURRENCY_LIMITS);
	});
});
