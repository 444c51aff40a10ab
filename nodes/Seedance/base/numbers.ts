export interface NumberLimits {
	default: number;
	min: number;
	max: number;
}

/** A number within `limits`; the default when it is not a number at all (an expression may give anything). */
export function clamp(value: unknown, limits: NumberLimits): number {
	const number = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(number)) return limits.default;
	return Math.min(limits.max, Math.max(limits.min, number));
}
