import type { IDataObject } from 'n8n-workflow';
import { z } from 'zod';

import { findModel, widestReferenceLimits } from '../models/models';
import { estimateJobCredits, type CreditEstimate } from './pricing';
import type { SeedanceRequestBody } from '../schemas/seedanceRequest';
import type { PriceList } from './priceList';

/** The most seconds of reference video any model takes in one job. */
function mostReferenceSeconds(): number {
	return widestReferenceLimits()?.videoSeconds.total ?? 0;
}

/**
 * The most reference video a job may be billed for: the lengths the user gave, when every clip has
 * one, else as much as the model takes.
 */
export function billableReferenceSeconds(
	input: { referenceVideoDurations?: Array<number | undefined> },
	clips: number,
	mostSeconds = mostReferenceSeconds(),
): number {
	if (clips === 0) return 0;
	const given = (input.referenceVideoDurations ?? []).filter((seconds): seconds is number => typeof seconds === 'number' && seconds > 0);
	if (given.length !== clips) return mostSeconds;
	return Math.min(mostSeconds, given.reduce((sum, seconds) => sum + seconds, 0));
}

function referenceClips(params: Record<string, unknown> | undefined): number {
	const urls = params?.reference_video_urls;
	return Array.isArray(urls) ? urls.length : 0;
}

/** The estimate of a request body as it would be sent. */
export function estimateRequest(priceList: PriceList, body: SeedanceRequestBody, referenceVideoSeconds: number): CreditEstimate {
	if (priceList.kind === 'unavailable') return { kind: 'unknown', reason: priceList.reason };
	const model = findModel(body.model);
	if (!model) return { kind: 'unknown', reason: `${body.model} is not a Seedance model this node knows` };
	const params = body.seedanceParams ?? {};
	return estimateJobCredits(priceList.entries.get(model.id), model, {
		duration: typeof params.duration === 'number' ? params.duration : undefined,
		resolution: typeof params.resolution === 'string' ? params.resolution : undefined,
		generateAudio: typeof params.generate_audio === 'boolean' ? params.generate_audio : undefined,
		referenceVideoSeconds,
	});
}

/** The estimate of a job from the request Apiframe kept with it (`input`), when it kept one. */
export function estimateJobInput(priceList: PriceList, input: unknown): CreditEstimate {
	const body = input as Partial<SeedanceRequestBody> | null | undefined;
	if (!body || typeof body.model !== 'string') {
		return { kind: 'unknown', reason: "Apiframe's copy of the job has no request to estimate from" };
	}
	const params = body.seedanceParams && typeof body.seedanceParams === 'object' ? body.seedanceParams : undefined;
	const clips = referenceClips(params);
	return estimateRequest(
		priceList,
		{ model: body.model, prompt: '', seedanceParams: params },
		clips === 0 ? 0 : (findModel(body.model)?.references?.videoSeconds.total ?? mostReferenceSeconds()),
	);
}

/** The estimate as output items carry it beside `creditCost`: a credit range, or null and why. */
export const estimateFieldsSchema = z.union([
	z.object({ estimatedCredits: z.object({ low: z.number(), high: z.number(), exact: z.boolean() }) }),
	z.object({ estimatedCredits: z.null(), estimateNote: z.string() }),
]);
export type EstimateFields = z.infer<typeof estimateFieldsSchema>;

export function estimateFields(estimate: CreditEstimate): EstimateFields {
	switch (estimate.kind) {
		case 'exact':
			return { estimatedCredits: { low: estimate.credits, high: estimate.credits, exact: true } };
		case 'range':
			return { estimatedCredits: { low: estimate.low, high: estimate.high, exact: false } };
		case 'unknown':
			return { estimatedCredits: null, estimateNote: estimate.reason };
	}
}

/** The estimate fields an earlier output of the same item carried (a sleeping run's saved items), checked. */
export function carriedEstimateFields(json: IDataObject | undefined): EstimateFields | Record<never, never> {
	const carried = estimateFieldsSchema.safeParse(json ?? {});
	if (!carried.success) return {};
	// The schema keeps only its own fields; a range carries no note.
	return carried.data;
}

/** Estimate's own output for an item: the estimate, the rate it used and where that came from. */
export function estimateDetails(estimate: CreditEstimate): IDataObject {
	const rate = estimate.kind === 'unknown' ? null : estimate.ratePerSecond;
	return {
		...estimateFields(estimate),
		ratePerSecond: rate === null ? null : typeof rate === 'number' ? { low: rate, high: rate } : { ...rate },
		rateSource: estimate.kind === 'unknown' ? null : estimate.basis,
	};
}
