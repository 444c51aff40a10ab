import { catalogueEntrySchema, modelCatalogueSchema, type CatalogueEntry } from '../../../../nodes/Seedance/schemas/catalogue';
import { creditBounds, estimateJobCredits, type CreditEstimate, type PricedJob } from '../../../../nodes/Seedance/credits/pricing';
import { findModel, SEEDANCE_MODELS, type SeedanceModelSpec } from '../../../../nodes/Seedance/models/models';
import { SEEDANCE_MODELS as SANDBOX_MODELS, type Sandbox } from '../../../../sandbox';
import { api, start, submit } from '../../../sandbox/helpers';

const seedance2 = findModel('seedance-2')!;
const seedance15 = findModel('seedance-1.5-pro')!;
const job = (values: Partial<PricedJob> = {}): PricedJob => ({ referenceVideoSeconds: 0, ...values });
const entry = (values: Partial<CatalogueEntry>): CatalogueEntry =>
	catalogueEntrySchema.parse({ id: 'seedance-2', label: 'Seedance 2.0', modality: 'video', ...values });

function bounds(estimate: CreditEstimate) {
	const range = creditBounds(estimate);
	if (range === null) throw new Error(`expected an estimate, got: ${JSON.stringify(estimate)}`);
	return range;
}

describe('reading the catalogue', () => {
	it('says why when the catalogue has no usable price, and never guesses one', () => {
		expect(estimateJobCredits(undefined, seedance2, job())).toEqual({
			kind: 'unknown',
			reason: "Apiframe's model catalogue does not list seedance-2",
		});
		expect(estimateJobCredits(entry({}), seedance2, job()).kind).toBe('unknown');
		expect(estimateJobCredits(entry({ costMin: 4, costMax: 10 }), seedance2, job()).kind).toBe('unknown');
		expect(estimateJobCredits(entry({ costMin: 4, costMax: 10, pricingMode: 'per-token' }), seedance2, job())).toEqual({
			kind: 'unknown',
			reason: 'Apiframe\'s catalogue prices seedance-2 "per-token", a mode this node cannot read',
		});
		expect(estimateJobCredits(entry({ costMin: 10, costMax: 4, pricingMode: 'per-second' }), seedance2, job()).kind).toBe('unknown');
	});

	it('is exact only when the catalogue gives one rate and nothing else is in doubt', () => {
		const single = entry({ costMin: 5, costMax: 5, pricingMode: 'per-second' });
		expect(estimateJobCredits(single, seedance2, job({ duration: 8, resolution: '720p' }))).toEqual({
			kind: 'exact',
			credits: 40,
			ratePerSecond: 5,
			basis: 'catalogue seedance-2: per-second 5 credits a second',
		});
		// 4k may lie beyond the catalogue; a left-out duration is Apiframe's to choose.
		expect(estimateJobCredits(single, seedance2, job({ duration: 8, resolution: '4k' })).kind).toBe('range');
		expect(bounds(estimateJobCredits(single, seedance2, job({ resolution: '720p' })))).toEqual({ low: 20, high: 75 });
		// 1.x audio may double the price, whether switched on or left to Apiframe.
		const oneFive = entry({ id: 'seedance-1.5-pro', costMin: 5, costMax: 5, pricingMode: 'per-second' });
		expect(estimateJobCredits(oneFive, seedance15, job({ duration: 4, resolution: '720p', generateAudio: false })).kind).toBe('exact');
		expect(bounds(estimateJobCredits(oneFive, seedance15, job({ duration: 4, resolution: '720p', generateAudio: true })))).toEqual({ low: 20, high: 40 });
		expect(bounds(estimateJobCredits(oneFive, seedance15, job({ duration: 4, resolution: '720p' })))).toEqual({ low: 20, high: 40 });
	});

	it('places a resolution inside the catalogue range by pixel count, with room either side', () => {
		const range = entry({ costMin: 4, costMax: 22, pricingMode: 'per-second' });
		const oneX = findModel('seedance-1-pro')!;
		const at = (resolution: string) => estimateJobCredits(range, { ...oneX, id: 'seedance-2', generation: 2 }, job({ duration: 10, resolution }));
		const r480 = bounds(at('480p'));
		const r720 = bounds(at('720p'));
		const r1080 = bounds(at('1080p'));
		// pixel count puts 720p at 9 credits/s here; the range must hold it and stay inside 40..220
		expect(r480.low).toBe(40);
		expect(r1080.high).toBe(220);
		expect(r720.low).toBeLessThanOrEqual(90);
		expect(r720.high).toBeGreaterThanOrEqual(90);
		expect(r720.low).toBeGreaterThan(40);
		expect(r720.high).toBeLessThan(220);
		expect(at('720p')).toMatchObject({ basis: expect.stringContaining('720p placed in the range by pixel count') });
	});

	it('uses the whole range when it is wider than resolution can explain', () => {
		// Cheapest to dearest ×40 on a 480p–1080p model: perhaps whole jobs, not seconds.
		const wide = entry({ costMin: 1, costMax: 40, pricingMode: 'per-second' });
		const oneX = { ...findModel('seedance-1-pro')!, generation: 2 as const };
		expect(bounds(estimateJobCredits(wide, oneX, job({ duration: 5, resolution: '720p' })))).toEqual({ low: 5, high: 200 });
	});

	it('lets 4k go beyond costMax, since nobody publishes its rate', () => {
		const upTo1080 = entry({ costMin: 6, costMax: 30, pricingMode: 'per-second' });
		const estimate = estimateJobCredits(upTo1080, seedance2, job({ duration: 10, resolution: '4k' }));
		expect(bounds(estimate).high).toBeGreaterThan(300);
		expect(estimate).toMatchObject({ basis: expect.stringContaining('4k may cost more than the catalogue') });
	});

	it('widens only the upper bound for reference video seconds', () => {
		const range = entry({ costMin: 4, costMax: 60, pricingMode: 'per-second' });
		const plain = bounds(estimateJobCredits(range, seedance2, job({ duration: 5, resolution: '720p' })));
		const withClips = bounds(estimateJobCredits(range, seedance2, job({ duration: 5, resolution: '720p', referenceVideoSeconds: 15 })));
		expect(withClips.low).toBe(plain.low);
		// 720p at most 13.5 credits/s here: 5 s of output, and 15 s of clips that may be billed too
		expect(plain.high).toBe(68);
		expect(withClips.high).toBe(270);
	});

	it('reads flat and per-output prices per job, whatever the duration', () => {
		const flat = entry({ costMin: 50, costMax: 80, pricingMode: 'flat' });
		expect(bounds(estimateJobCredits(flat, seedance2, job({ duration: 15 })))).toEqual({ low: 50, high: 80 });
		expect(estimateJobCredits(entry({ costMin: 60, costMax: 60, pricingMode: 'per-output' }), seedance2, job())).toMatchObject({ kind: 'exact', credits: 60 });
	});

	it('rounds outwards, since Apiframe does not say how it rounds', () => {
		const fractional = entry({ costMin: 1.5, costMax: 1.5, pricingMode: 'per-second' });
		expect(estimateJobCredits(fractional, seedance2, job({ duration: 5, resolution: '720p' }))).toMatchObject({ kind: 'range', low: 7, high: 8 });
		expect(estimateJobCredits(fractional, seedance2, job({ duration: 4, resolution: '720p' }))).toMatchObject({ kind: 'exact', credits: 6 });
	});
});

/** Every value a setting can take in the sandbox, and "left out". */
function sandboxCombinations(model: SeedanceModelSpec) {
	const sandboxSpec = SANDBOX_MODELS[model.id as keyof typeof SANDBOX_MODELS];
	const rule = sandboxSpec.duration;
	const durations =
		rule.kind === 'range' ? Array.from({ length: rule.max - rule.min + 1 }, (_, i) => rule.min + i) : rule.values;
	const combinations: Array<{ duration?: number; resolution?: string; generateAudio?: boolean }> = [];
	for (const duration of [...durations, undefined]) {
		for (const resolution of [...sandboxSpec.resolutions, undefined]) {
			for (const generateAudio of [true, false, undefined]) combinations.push({ duration, resolution, generateAudio });
		}
	}
	return combinations;
}

describe("every estimate holds the sandbox's actual charge", () => {
	let sb: Sandbox;
	let catalogue: CatalogueEntry[];
	beforeAll(async () => {
		sb = await start({ credits: 100_000_000 });
		const answer = await api(sb, 'GET', '/v2/models?modality=video', { key: null });
		catalogue = modelCatalogueSchema.parse(answer.json).models;
	});
	afterAll(() => sb.close());

	it('prices every Seedance model the node offers', () => {
		expect(catalogue.map((m) => m.id).sort()).toEqual(SEEDANCE_MODELS.map((m) => m.id).sort());
	});

	it.each(SEEDANCE_MODELS.map((model) => [model.id, model] as const))('%s: every duration × resolution × audio', async (_id, model) => {
		const catalogueEntry = catalogue.find((m) => m.id === model.id);
		const misses: string[] = [];
		let checked = 0;
		for (const combination of sandboxCombinations(model)) {
			const seedanceParams: Record<string, unknown> = {};
			if (combination.duration !== undefined) seedanceParams.duration = combination.duration;
			if (combination.resolution !== undefined) seedanceParams.resolution = combination.resolution;
			if (combination.generateAudio !== undefined) seedanceParams.generate_audio = combination.generateAudio;
			const accepted = await submit(sb, { model: model.id, prompt: 'price check', seedanceParams });
			expect(accepted.status).toBe(202);
			const charged = (await api(sb, 'GET', `/v2/jobs/${accepted.json.jobId}`)).json.creditCost as number;
			const range = bounds(estimateJobCredits(catalogueEntry, model, job(combination)));
			if (charged < range.low || charged > range.high) misses.push(`${JSON.stringify(combination)}: charged ${charged}, estimated ${range.low}–${range.high}`);
			checked += 1;
		}
		expect(misses).toEqual([]);
		expect(checked).toBeGreaterThanOrEqual(18);
	});
});
