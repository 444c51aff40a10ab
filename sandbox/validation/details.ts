import type { ZodIssue } from 'zod';

export type ValidationDetails = Record<string, string[]>;

/** Key used for problems with the body as a whole (it has no JSON path). */
export const ROOT_PATH = 'body';

export function jsonPath(path: ReadonlyArray<string | number>): string {
	return path.length === 0 ? ROOT_PATH : path.join('.');
}

export function addDetail(details: ValidationDetails, path: string, message: string): void {
	(details[path] ??= []).push(message);
}

/** Unknown keys are reported at their own path, so a client can point at the offending field. */
export function zodIssuesToDetails(issues: ZodIssue[]): ValidationDetails {
	const details: ValidationDetails = {};
	for (const issue of issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) addDetail(details, jsonPath([...issue.path, key]), `Unrecognized key: '${key}'`);
		} else if (issue.code === 'invalid_union_discriminator') {
			addDetail(details, jsonPath(issue.path), `Invalid enum value. Expected ${issue.options.map((o) => `'${String(o)}'`).join(' | ')}`);
		} else {
			addDetail(details, jsonPath(issue.path), issue.message);
		}
	}
	return details;
}
