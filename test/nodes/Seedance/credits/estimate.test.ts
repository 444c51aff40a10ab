import {
	billableReferenceSeconds,
	carriedEstimateFields,
	estimateFields,
	estimateJobInput,
	estimateRequest,
} from '../../../../nodes/Seedance/credits/estimate';
import type { PriceList } from '../../../../nodes/Seedance/credits/priceList';
import { catalogueEntrySchema } from '../../../../nodes/Seedance/schemas/catalogue';

const priceList: PriceList = {
	kind: 'read',
	entries: new Map([
		['seedance-2', catalogueEntrySchema.parse({ id: 'seedance-2', label: 'Seedance 2.0', modality: 'video', costMin: 10, costMax: 10, pricingMode: 'per-second' })],
	]),
};

describe('estimating a request', () => {
	it('counts reference video only as far as its lengths are known', () => {
		expect(billableReferenceSeconds({}, 0)).toBe(0);
		expect(billableReferenceSeconds({ referenceVideoDurations: [4, 5] }, 2)).toBe(9);
		expect(billableReferenceSeconds({ referenceVideoDurations: [4, undefined] }, 2)).toBe(15);
		// One entry may hold several URLs: a length then cannot be matched to each clip.
		expect(billableReferenceSeconds({ referenceVideoDurations: [4] }, 2)).toBe(15);
	});

	it('estimates the body as it would be sent', () => {
		const body = { model: 'seedance-2', prompt: 'x', seedanceParams: { duration: 6, resolution: '720p' } };
		expect(estimateRequest(priceList, body, 0)).toMatchObject({ kind: 'exact', credits: 60 });
		expect(estimateRequest(priceList, body, 4)).toMatchObject({ kind: 'range', low: 60, high: 100 });
		expect(estimateRequest({ kind: 'unavailable', reason: 'down' }, body, 0)).toEqual({ kind: 'unknown', reason: 'down' });
		expect(estimateRequest(priceList, { ...body, model: 'seedance-9' }, 0)).toEqual({
			kind: 'unknown',
			reason: 'seedance-9 is not a Seedance model this node knows',
		});
	});

	it("estimates a job from the request Apiframe kept, assuming the most reference video when there is any", () => {
		expect(estimateJobInput(priceList, { model: 'seedance-2', seedanceParams: { duration: 4, resolution: '480p' } })).toMatchObject({ kind: 'exact', credits: 40 });
		expect(
			estimateJobInput(priceList, { model: 'seedance-2', seedanceParams: { duration: 4, resolution: '480p', reference_video_urls: ['https://x/v.mp4'] } }),
		).toMatchObject({ kind: 'range', low: 40, high: 190 });
		expect(estimateJobInput(priceList, null)).toEqual({ kind: 'unknown', reason: "Apiframe's copy of the job has no request to estimate from" });
	});
});

describe('estimate fields', () => {
	it('give a range, marked exact or not, or null and why', () => {
		expect(estimateFields({ kind: 'exact', credits: 5, ratePerSecond: 1, basis: '' })).toEqual({ estimatedCredits: { low: 5, high: 5, exact: true } });
		expect(estimateFields({ kind: 'range', low: 1, high: 2, ratePerSecond: null, basis: '' })).toEqual({ estimatedCredits: { low: 1, high: 2, exact: false } });
		expect(estimateFields({ kind: 'unknown', reason: 'down' })).toEqual({ estimatedCredits: null, estimateNote: 'down' });
	});

	it('come through a sleeping run unchanged', () => {
		for (const fields of [estimateFields({ kind: 'unknown', reason: 'down' }), estimateFields({ kind: 'exact', credits: 5, ratePerSecond: 1, basis: '' })]) {
			expect(carriedEstimateFields({ jobId: 'x', status: 'QUEUED', ...fields })).toEqual(fields);
		}
		expect(carriedEstimateFields({ jobId: 'x' })).toEqual({});
	});
});
