import type { SeedanceModelSpec } from './models';

/**
 * What the Video fields offer and say about the models, derived from the model table: the option
 * lists (every value some model takes), the names of the models a value or a feature is limited to,
 * and the bounds across all models. Each function takes the table, so a row added to it shows up
 * here without another edit.
 */

export interface ValueOption {
	name: string;
	value: string;
}

/** Each distinct entry of the models' lists, in the order the table first gives it. */
function union(models: readonly SeedanceModelSpec[], list: (model: SeedanceModelSpec) => readonly string[]): string[] {
	return [...new Set(models.flatMap(list))];
}

function joinNames(names: string[], conjunction: 'and' | 'or'): string {
	return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}

/** The names of some models: a family when all of it is there, else the models' own labels, in table order. */
function namesOf(some: readonly SeedanceModelSpec[], all: readonly SeedanceModelSpec[]): string[] {
	const names: string[] = [];
	for (const model of all) {
		if (!some.includes(model)) continue;
		const family = all.filter((other) => other.family === model.family);
		const name = family.every((member) => some.includes(member)) ? model.family : model.label;
		if (!names.includes(name)) names.push(name);
	}
	return names;
}

/** Which models a value or feature is limited to ("Seedance 2.x", "not Seedance 2.0 Fast or …"); undefined when all have it. */
export function availability(models: readonly SeedanceModelSpec[], has: (model: SeedanceModelSpec) => boolean): string | undefined {
	const included = models.filter(has);
	if (included.length === models.length) return undefined;
	const names = namesOf(included, models);
	const excluded = namesOf(
		models.filter((model) => !has(model)),
		models,
	);
	return excluded.length < names.length ? `not ${joinNames(excluded, 'or')}` : joinNames(names, 'and');
}

/** A model list as the Model field's description names it. */
export function modelNames(models: readonly SeedanceModelSpec[], has: (model: SeedanceModelSpec) => boolean): string {
	return joinNames(namesOf(models.filter(has), models), 'and');
}

function withAvailability(name: string, limitedTo: string | undefined): string {
	return limitedTo ? `${name} (${limitedTo})` : name;
}

const RESOLUTION_NAMES: Record<string, string> = { '4k': '4K' };

export function resolutionOptions(models: readonly SeedanceModelSpec[]): ValueOption[] {
	return union(models, (model) => model.resolutions).map((value) => ({
		name: withAvailability(RESOLUTION_NAMES[value] ?? value, availability(models, (model) => model.resolutions.includes(value))),
		value,
	}));
}

/** Width over height; 'adaptive' (no fixed ratio) sorts last. */
function ratioValue(ratio: string): number {
	const [width, height] = ratio.split(':').map(Number);
	return width > 0 && height > 0 ? width / height : Number.NEGATIVE_INFINITY;
}

function capitalised(value: string): string {
	return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Every aspect ratio, widest first. */
export function aspectRatioOptions(models: readonly SeedanceModelSpec[]): ValueOption[] {
	return union(models, (model) => model.aspectRatios)
		.sort((a, b) => ratioValue(b) - ratioValue(a))
		.map((value) => ({
			name: withAvailability(/\d/.test(value) ? value : capitalised(value), availability(models, (model) => model.aspectRatios.includes(value))),
			value,
		}));
}

/** The shortest and longest duration any model takes, for the field's bounds. */
export function durationBounds(models: readonly SeedanceModelSpec[]): { min: number; max: number } {
	const ends = models.flatMap((model) => ('values' in model.durations ? model.durations.values : [model.durations.min, model.durations.max]));
	return { min: Math.min(...ends), max: Math.max(...ends) };
}

function durationWords(durations: SeedanceModelSpec['durations']): string {
	if ('values' in durations) {
		const values = durations.values.map(String);
		return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
	}
	return `${durations.min} to ${durations.max} seconds`;
}

/** "Seedance 2.x: 4 to 15 seconds. Seedance 1.5 Pro: 4, 8 or 12. …" (no final period): the durations each group of models takes. */
export function durationHint(models: readonly SeedanceModelSpec[]): string {
	const groups = new Map<string, SeedanceModelSpec[]>();
	for (const model of models) {
		const key = JSON.stringify(model.durations);
		groups.set(key, [...(groups.get(key) ?? []), model]);
	}
	return [...groups.values()]
		.map((group) => `${joinNames(namesOf(group, models), 'and')}: ${durationWords(group[0].durations)}`)
		.join('. ');
}
