import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { creditCost, type SeedanceModelId } from '../../../../../../sandbox';
import { generateParameters, requestsTo, runSeedance, useSandbox } from '../../../fixtures';

const sandbox = useSandbox();
afterEach(() => sandbox().setOptions({ credits: 100_000 }));

const POSTS = /^\/v2\/videos\/generate$/;
const CATALOGUE = /^\/v2\/models$/;
const ME = /^\/v2\/me$/;

/** A sheet's rows: the prompt and the settings a user would map from columns. */
const ROWS = [
	{ prompt: 'A fox at dawn', duration: 5, resolution: '480p' },
	{ prompt: 'A fox at noon', duration: 10, resolution: '1080p' },
	{ prompt: 'A fox at dusk', duration: 15, resolution: '720p' },
];

function rows(list: IDataObject[]): INodeExecutionData[] {
	return list.map((json) => ({ json }));
}

function estimateParameters(overrides: IDataObject = {}) {
	const { waitForCompletion: _w, downloadVideo: _d, options: _o, ...parameters } = generateParameters({
		operation: 'estimate',
		videoSettings: { duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' },
		...overrides,
	});
	return parameters;
}

/** What the sandbox would charge for a row, had it been submitted. */
function chargeOf(row: { duration: number; resolution: string }, model: SeedanceModelId = 'seedance-2') {
	return creditCost({ model, seedanceParams: { duration: row.duration, resolution: row.resolution } });
}

describe('Video → Estimate', () => {
	it('estimates a 3-row sheet, its total and the balance, and submits nothing', async () => {
		const result = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS) });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);

		let low = 0;
		let high = 0;
		result.items.forEach((item, index) => {
			const estimated = item.json.estimatedCredits as { low: number; high: number; exact: boolean };
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ model: 'seedance-2', duration: ROWS[index].duration, resolution: ROWS[index].resolution });
			expect(estimated.low).toBeLessThanOrEqual(chargeOf(ROWS[index]));
			expect(estimated.high).toBeGreaterThanOrEqual(chargeOf(ROWS[index]));
			expect(estimated.exact).toBe(false);
			expect(item.json.rateSource).toContain('catalogue seedance-2: per-second 4–60 credits a second');
			expect(item.json.ratePerSecond).toEqual({ low: expect.any(Number), high: expect.any(Number) });
			low += estimated.low;
			high += estimated.high;
		});
		expect(result.items[0].json.run).toEqual({
			estimatedCredits: { low, high },
			items: 3,
			unpricedItems: 0,
			balance: sandbox().credits,
			affordable: true,
			shortfall: null,
			note: null,
		});
		expect(requestsTo(sandbox(), 'POST', POSTS)).toHaveLength(0);
		expect(requestsTo(sandbox(), 'GET', CATALOGUE)).toHaveLength(1);
		expect(requestsTo(sandbox(), 'GET', ME)).toHaveLength(1);
	});

	it('says when the balance cannot cover the run, and by how much', async () => {
		sandbox().setOptions({ credits: 100 });
		const result = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS) });
		const run = result.items[0].json.run as IDataObject & { estimatedCredits: { high: number } };
		expect(run).toMatchObject({ balance: 100, affordable: false, shortfall: run.estimatedCredits.high - 100 });
	});

	it('checks items exactly as Generate does', async () => {
		const bad = [...ROWS.slice(0, 2), { prompt: 'A fox', duration: 30, resolution: '720p' }];
		const estimate = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(bad) });
		const generate = await runSeedance(
			sandbox(),
			generateParameters({ videoSettings: { duration: '={{ $json.duration }}', resolution: '={{ $json.resolution }}' } }),
			{ inputItems: rows(bad) },
		);
		expect(estimate.error?.message).toBe('Video Settings › Duration (Seconds) must be a whole number from 4 to 15 seconds for Seedance 2.0');
		expect(estimate.error?.message).toBe(generate.error?.message);
		expect(requestsTo(sandbox(), 'POST', POSTS)).toHaveLength(0);

		const continued = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(bad), continueOnFail: true });
		expect(continued.items[2].json).toMatchObject({ error: estimate.error?.message });
		expect(continued.items[2].json).not.toHaveProperty('estimatedCredits');
		expect(continued.items[2].json.run).toMatchObject({ items: 2 });
		expect(continued.items[0].json.estimatedCredits).toEqual(expect.objectContaining({ low: expect.any(Number) }));
	});

	it('says so when the catalogue cannot be read, and guesses nothing', async () => {
		sandbox().faults.push({ method: 'GET', path: CATALOGUE, status: 404, body: { error: 'Not found' } });
		const result = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS) });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			estimatedCredits: null,
			estimateNote: expect.stringMatching(/^Apiframe's model catalogue could not be read: .*404/),
			ratePerSecond: null,
			rateSource: null,
		});
		expect(result.items[0].json.run).toMatchObject({
			estimatedCredits: null,
			unpricedItems: 3,
			affordable: null,
			note: expect.stringContaining('3 of 3 items have no estimate'),
		});
	});

	it('says so when the catalogue does not list the model', async () => {
		const others = { models: [{ id: 'seedance-2-fast', label: 'Seedance 2.0 Fast', modality: 'video', costMin: 3, costMax: 7, pricingMode: 'per-second' }] };
		sandbox().faults.push({ method: 'GET', path: CATALOGUE, status: 200, body: others });
		const result = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS.slice(0, 1)) });
		expect(result.items[0].json).toMatchObject({
			estimatedCredits: null,
			estimateNote: "Apiframe's model catalogue does not list seedance-2",
		});
	});

	it('refuses a catalogue answer that is not one', async () => {
		sandbox().faults.push({ method: 'GET', path: CATALOGUE, status: 200, body: { models: [{ id: 'seedance-2', costMin: 'cheap' }] } });
		const result = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS.slice(0, 1)) });
		expect(result.items[0].json.estimatedCredits).toBeNull();
		expect(result.items[0].json.estimateNote).toMatch(/^Apiframe's model catalogue could not be read: /);
	});

	it('widens the estimate for reference videos of unknown length', async () => {
		const parameters = estimateParameters({
			inputMode: 'reference',
			referenceVideos: { entries: [{ url: 'https://example.com/clip.mp4' }] },
		});
		const result = await runSeedance(sandbox(), parameters, { inputItems: rows(ROWS.slice(0, 1)) });
		const plain = await runSeedance(sandbox(), estimateParameters(), { inputItems: rows(ROWS.slice(0, 1)) });
		expect(result.items[0].json.referenceVideoSeconds).toBe(15);
		const widened = result.items[0].json.estimatedCredits as { low: number; high: number };
		const bare = plain.items[0].json.estimatedCredits as { low: number; high: number };
		expect(widened.low).toBe(bare.low);
		expect(widened.high).toBe(bare.high * 4);
		expect(result.items[0].json.rateSource).toContain('up to 15 s of reference video may be billed');
	});
});
