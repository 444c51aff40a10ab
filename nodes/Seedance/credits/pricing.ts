import type { CatalogueEntry } from '../schemas/catalogue';

/*
 * How a Seedance job's charge is estimated from Apiframe's public catalogue.
 *
 * Apiframe publishes, per model, only `costMin`, `costMax` and `pricingMode` (GET /v2/models), with
 * no unit and no rate per resolution. This file is the one place that reads those numbers:
 *
 * 1. `per-second`: `costMin` and `costMax` are credits per second of output, of the model's
 *    cheapest and dearest variant (Apiframe's SDK: "the API multiplies the variant cost by the
 *    requested duration"). A job is charged rate × duration; the rounding to whole credits is not
 *    documented, so the low end rounds down and the high end up. `flat` and `per-output`: one
 *    video is one job, charged between `costMin` and `costMax` whatever its length.
 * 2. Resolution picks the variant, and its rate is not published. ByteDance bills Seedance by
 *    output pixels × seconds, and every reseller's 480p : 720p : 1080p rates follow the pixel
 *    count within a factor of 0.75 to 1.5 (0.44 : 1 : 2.25 by pixels; 0.31 : 1 : 1.78 to
 *    0.5 : 1 : 2.5 observed). So a resolution's rate is bounded from both ends of the catalogue
 *    range: at least the dearest variant's rate scaled down by pixels × 0.75, at most the
 *    cheapest variant's rate scaled up by pixels × 1.5, and always within [costMin, costMax].
 *    4k is priced by nobody and may lie beyond `costMax`: its upper bound is the pixel scaling
 *    alone. A catalogue range wider than pixels can explain is used whole.
 * 3. Audio: Apiframe's v2 docs say Seedance 2.x audio "is included in the base price"; its v1 docs
 *    said audio doubled the cost of the older models. For Seedance 1.x, audio on (or left to
 *    Apiframe's default) doubles the upper bound, and `costMax` may already be an audio variant.
 * 4. Reference videos: ByteDance bills input seconds like output seconds; Apiframe says it
 *    multiplies by the requested duration only. The upper bound adds the reference seconds at the
 *    highest rate, in case the input is passed on.
 *
 * If `per-second` in fact meant whole jobs (cheapest to dearest), these estimates come out high:
 * the upper bound still holds, which is the side a spending cap and a balance check rely on.
 * An estimate is exact only when the catalogue gives one rate and nothing else is in doubt.
 */

export const PRICING_MODES = ['flat', 'per-second', 'per-output'] as const;
export type PricingMode = (typeof PRICING_MODES)[number];

/** The pricing reading, resolution by resolution: output pixels at 16:9 and whether `costMax` surely covers it. */
export const RESOLUTION_READING = {
	'480p': { pixels: 854 * 480, withinCatalogueRange: true },
	'720p': { pixels: 1280 * 720, withinCatalogueRange: true },
	'1080p': { pixels: 1920 * 1080, withinCatalogueRange: true },
	'4k': { pixels: 3840 * 2160, withinCatalogueRange: false },
} as const;
export type Resolution = keyof typeof RESOLUTION_READING;

/** How far a resolution's rate may stray from pixel-count scaling, below and above. */
export const PIXEL_SCALING_SLACK = { below: 0.75, above: 1.5 } as const;

/** Audio by model generation: included in the price (2.x), or possibly doubling it (1.x). */
export const AUDIO_READING = { 2: 'included', 1: 'may-double' } as const;

/** What the reading needs to know about a model (the shape of its entry in models.ts, where its limits are stated). */
export interface PricedModel {
	id: string;
	resolutions: readonly string[];
	durations: { values: readonly number[] } | { min: number; max: number };
	generation: 1 | 2;
}

function durationRange(model: PricedModel): { min: number; max: number } {
	return 'values' in model.durations
		? { min: Math.min(...model.durations.values), max: Math.max(...model.durations.values) }
		: model.durations;
}

/** One job as it would be submitted; a field left out is left to Apiframe's default. */
export interface PricedJob {
	resolution?: string;
	duration?: number;
	generateAudio?: boolean;
	/** Seconds of reference video the job sends, at most (0 when none). */
	referenceVideoSeconds: number;
}

export interface CreditRange {
	low: number;
	high: number;
}

export type CreditEstimate =
	| { kind: 'exact'; credits: number; ratePerSecond: number | null; basis: string }
	| { kind: 'range'; low: number; high: number; ratePerSecond: CreditRange | null; basis: string }
	| { kind: 'unknown'; reason: string };

// Binary floating point makes 0.1 × 3 exceed 0.3; whole credits are meant.
const EPSILON = 1e-9;
const roundDown = (value: number) => Math.floor(value + EPSILON);
const roundUp = (value: number) => Math.ceil(value - EPSILON);
// Rates are shown to a thousandth, rounded outwards so that the shown range still holds.
const shownRate = (range: CreditRange): CreditRange => ({
	low: Math.floor(range.low * 1000 + EPSILON) / 1000,
	high: Math.ceil(range.high * 1000 - EPSILON) / 1000,
});

function isResolution(value: string): value is Resolution {
	return Object.prototype.hasOwnProperty.call(RESOLUTION_READING, value);
}

function pixelsOf(resolutions: readonly string[]): number[] {
	return resolutions.filter(isResolution).map((resolution) => RESOLUTION_READING[resolution].pixels);
}

/** The per-second rate of one resolution, by reading 2 and 3 above. */
function resolutionRate(
	costMin: number,
	costMax: number,
	model: PricedModel,
	resolution: Resolution,
	audioMayDouble: boolean,
): CreditRange {
	const ladder = pixelsOf(model.resolutions);
	const lowest = Math.min(...ladder);
	const highest = Math.max(...ladder);
	const { pixels, withinCatalogueRange } = RESOLUTION_READING[resolution];
	// With audio possibly priced in, costMax may be the dearest resolution with audio: twice its silent rate.
	const dearestSilent = audioMayDouble ? costMax / 2 : costMax;
	const fromAbove = dearestSilent * (pixels / highest) * PIXEL_SCALING_SLACK.below;
	const fromBelow = costMin * (pixels / lowest) * PIXEL_SCALING_SLACK.above;
	const explained = dearestSilent / costMin <= (highest / lowest) * (PIXEL_SCALING_SLACK.above / PIXEL_SCALING_SLACK.below);
	if (!withinCatalogueRange) {
		return { low: explained ? Math.max(costMin, fromAbove) : costMin, high: Math.max(costMax, fromBelow) };
	}
	if (!explained) return { low: costMin, high: costMax };
	return { low: Math.max(costMin, fromAbove), high: Math.min(costMax, fromBelow) };
}

/** The per-second rate of a resolution, or of any the model has when it is left to Apiframe. */
function rateRange(
	costMin: number,
	costMax: number,
	model: PricedModel,
	resolutions: Resolution[],
	audioMayDouble: boolean,
): CreditRange {
	const rates = resolutions.map((r) => resolutionRate(costMin, costMax, model, r, audioMayDouble));
	return { low: Math.min(...rates.map((r) => r.low)), high: Math.max(...rates.map((r) => r.high)) };
}

function describeRange(range: CreditRange): string {
	return range.low === range.high ? `${range.low}` : `${range.low}–${range.high}`;
}

/** The estimate of one job's charge in credits, from the model's catalogue entry. */
export function estimateJobCredits(
	entry: CatalogueEntry | undefined,
	model: PricedModel,
	job: PricedJob,
): CreditEstimate {
	if (entry === undefined) {
		return { kind: 'unknown', reason: `Apiframe's model catalogue does not list ${model.id}` };
	}
	const { costMin, costMax, pricingMode } = entry;
	if (costMin === undefined || costMax === undefined || pricingMode === undefined) {
		return { kind: 'unknown', reason: `Apiframe's catalogue gives no cost range for ${model.id}` };
	}
	if (!(PRICING_MODES as readonly string[]).includes(pricingMode)) {
		return { kind: 'unknown', reason: `Apiframe's catalogue prices ${model.id} "${pricingMode}", a mode this node cannot read` };
	}
	if (costMin > costMax || (costMin === 0 && costMax > 0 && pricingMode === 'per-second')) {
		return { kind: 'unknown', reason: `Apiframe's catalogue range for ${model.id} (${costMin} to ${costMax}) cannot be read as rates` };
	}

	const audioMayDouble = AUDIO_READING[model.generation] === 'may-double' && job.generateAudio !== false;
	const audioFactor = audioMayDouble ? 2 : 1;
	const doubts: string[] = [];
	if (audioMayDouble) doubts.push('audio may double the price on this model');
	const catalogue = `catalogue ${model.id}: ${pricingMode} ${describeRange({ low: costMin, high: costMax })}`;

	if (pricingMode !== 'per-second') {
		const low = roundDown(costMin);
		const high = roundUp(costMax * audioFactor);
		const basis = [`${catalogue} credits a job`, ...doubts].join('; ');
		if (low === high && costMin === costMax) return { kind: 'exact', credits: low, ratePerSecond: null, basis };
		return { kind: 'range', low, high, ratePerSecond: null, basis };
	}

	const resolutions = job.resolution === undefined ? [...model.resolutions] : [job.resolution];
	const unread = resolutions.find((resolution) => !isResolution(resolution));
	if (unread !== undefined) {
		return { kind: 'unknown', reason: `this node has no pricing reading for the resolution ${unread}` };
	}
	// Audio may already be inside costMax (so it anchors low), or on top of it (so it doubles high).
	const mayDoubleOnThisModel = AUDIO_READING[model.generation] === 'may-double';
	const silent = rateRange(costMin, costMax, model, resolutions as Resolution[], mayDoubleOnThisModel);
	const rate = { low: silent.low, high: silent.high * audioFactor };
	const allowed = durationRange(model);
	const seconds = job.duration === undefined ? { low: allowed.min, high: allowed.max } : { low: job.duration, high: job.duration };
	if (job.duration === undefined) doubts.push(`duration left to Apiframe's default (${allowed.min}–${allowed.max} s)`);
	if (job.resolution === undefined) doubts.push("resolution left to Apiframe's default");
	else if (costMin !== costMax) doubts.push(`${job.resolution} placed in the range by pixel count`);
	if (job.resolution !== undefined && isResolution(job.resolution) && !RESOLUTION_READING[job.resolution].withinCatalogueRange) {
		doubts.push(`${job.resolution} may cost more than the catalogue's top rate`);
	}
	if (job.referenceVideoSeconds > 0) doubts.push(`up to ${job.referenceVideoSeconds} s of reference video may be billed`);

	const low = roundDown(rate.low * seconds.low);
	const high = roundUp(rate.high * (seconds.high + job.referenceVideoSeconds));
	const basis = [`${catalogue} credits a second`, ...doubts].join('; ');
	if (low === high && rate.low === rate.high) return { kind: 'exact', credits: low, ratePerSecond: rate.low, basis };
	return { kind: 'range', low, high, ratePerSecond: shownRate(rate), basis };
}

/** The lowest and highest credits of an estimate; `null` when nothing is known. */
export function creditBounds(estimate: CreditEstimate): CreditRange | null {
	if (estimate.kind === 'unknown') return null;
	return estimate.kind === 'exact' ? { low: estimate.credits, high: estimate.credits } : { low: estimate.low, high: estimate.high };
}
