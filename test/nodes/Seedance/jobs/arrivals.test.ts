import { JobArrivals } from '../../../../nodes/Seedance/jobs/arrivals';
import { submitted } from '../../../../nodes/Seedance/jobs/trackedJob';

const job = (itemIndex: number) => submitted(itemIndex, `job-${itemIndex}`, null, null);

describe('a run\'s jobs as their submits come back', () => {
	it('hands over each job once, in the order it arrived', () => {
		const arrivals = new JobArrivals();
		arrivals.add(job(2));
		arrivals.add(job(0));
		expect(arrivals.takeNew().map((j) => j.itemIndex)).toEqual([2, 0]);
		expect(arrivals.takeNew()).toEqual([]);
		arrivals.add(job(1));
		expect(arrivals.takeNew().map((j) => j.itemIndex)).toEqual([1]);
	});

	it('is open until closed, and says since when it is closed', () => {
		let now = 1000;
		const arrivals = new JobArrivals(() => now);
		expect(arrivals.closedSince).toBeNull();
		now = 1500;
		arrivals.close();
		now = 2000;
		arrivals.close();
		expect(arrivals.closedSince).toBe(1500);
	});

	it('refuses a job after the close, which no one would wait for', () => {
		const arrivals = JobArrivals.of([job(0)]);
		expect(arrivals.closedSince).not.toBeNull();
		expect(() => arrivals.add(job(1))).toThrow("Job of item 1 arrived after the run's last submit");
		expect(arrivals.takeNew().map((j) => j.itemIndex)).toEqual([0]);
	});
});
