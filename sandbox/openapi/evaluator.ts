import { apiframeOpenApi } from './spec';

/**
 * A small JSON Schema evaluator for the subset the Apiframe OpenAPI file uses, so request and
 * response bodies can be checked against the reference itself rather than a hand-copied model.
 * Unknown validation keywords throw instead of passing silently.
 */

export type JsonSchema = boolean | { [keyword: string]: unknown };

export interface SchemaError {
	/** Dotted JSON path ('' for the value itself), e.g. `seedanceParams.reference_image_urls.3`. */
	path: string;
	message: string;
}

export interface EvaluationResult {
	valid: boolean;
	errors: SchemaError[];
}

export type FormatChecker = (value: string) => boolean;

export interface EvaluateOptions {
	/** Document that `$ref`s resolve against; the bundled Apiframe spec by default. */
	root?: unknown;
	/** Checkers per `format`; formats without one are annotations only. */
	formats?: Record<string, FormatChecker>;
}

export const DEFAULT_FORMATS: Record<string, FormatChecker> = {
	// RFC 3986 absolute URI: a scheme, no whitespace
	uri: (v) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(v),
	uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
	'date-time': (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)),
	email: (v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
};

const VALIDATION_KEYWORDS = new Set([
	'$ref', 'type', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
	'minLength', 'maxLength', 'minItems', 'maxItems', 'items', 'properties', 'required', 'additionalProperties', 'format',
]);
const ANNOTATION_KEYWORDS = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly', '$comment']);

export const SUPPORTED_KEYWORDS: readonly string[] = [...VALIDATION_KEYWORDS];

type Path = Array<string | number>;

interface Run {
	root: unknown;
	formats: Record<string, FormatChecker>;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function hasType(value: unknown, type: string): boolean {
	switch (type) {
		case 'integer':
			return Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'object':
			return isObject(value);
		default:
			return typeOf(value) === type;
	}
}

function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
	if (isObject(a) && isObject(b)) {
		const keys = Object.keys(a);
		return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
	}
	return false;
}

function show(value: unknown): string {
	return JSON.stringify(value);
}

function resolveRef(ref: string, root: unknown): JsonSchema {
	if (!ref.startsWith('#')) throw new Error(`Only local $refs are supported: ${ref}`);
	let node: unknown = root;
	for (const raw of ref.slice(1).split('/').filter(Boolean)) {
		const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
		if (!isObject(node) || !(key in node)) throw new Error(`Unresolvable $ref ${ref}`);
		node = node[key];
	}
	return node as JsonSchema;
}

function deref(schema: JsonSchema, run: Run): JsonSchema {
	let current = schema;
	while (typeof current === 'object' && typeof current.$ref === 'string' && Object.keys(current).every((k) => k === '$ref' || ANNOTATION_KEYWORDS.has(k))) {
		current = resolveRef(current.$ref, run.root);
	}
	return current;
}

/** A property whose value tells oneOf branches apart (each branch pins it to one value). */
function discriminatorOf(branches: JsonSchema[]): string | null {
	const first = branches[0];
	if (typeof first !== 'object' || !isObject(first.properties)) return null;
	for (const name of Object.keys(first.properties)) {
		const values = branches.map((b) => {
			const prop = typeof b === 'object' && isObject(b.properties) ? b.properties[name] : undefined;
			return isObject(prop) && Array.isArray(prop.enum) && prop.enum.length === 1 ? prop.enum[0] : undefined;
		});
		if (values.every((v) => v !== undefined) && new Set(values.map(show)).size === values.length) return name;
	}
	return null;
}

function enumSummary(branches: JsonSchema[]): unknown[] | null {
	const values: unknown[] = [];
	for (const b of branches) {
		if (typeof b !== 'object' || !Array.isArray(b.enum)) return null;
		values.push(...b.enum);
	}
	return values;
}

function check(schema: JsonSchema, value: unknown, path: Path, run: Run): SchemaError[] {
	const errors: SchemaError[] = [];
	const fail = (at: Path, message: string) => errors.push({ path: at.join('.'), message });
	if (schema === true) return errors;
	if (schema === false) {
		fail(path, 'is not allowed');
		return errors;
	}
	for (const keyword of Object.keys(schema)) {
		if (!VALIDATION_KEYWORDS.has(keyword) && !ANNOTATION_KEYWORDS.has(keyword)) throw new Error(`Unsupported JSON Schema keyword '${keyword}' at '${path.join('.')}'`);
	}
	const s = schema as Record<string, unknown>;

	if (typeof s.$ref === 'string') errors.push(...check(resolveRef(s.$ref, run.root), value, path, run));

	if (s.type !== undefined) {
		const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
		if (!types.some((t) => hasType(value, t))) {
			fail(path, `must be ${types.join(' or ')} (got ${typeOf(value)})`);
			return errors;
		}
	}
	if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) fail(path, `must be one of: ${s.enum.map(show).join(', ')}`);
	if ('const' in s && !deepEqual(s.const, value)) fail(path, `must be ${show(s.const)}`);

	if (typeof value === 'string') {
		const length = [...value].length;
		if (typeof s.minLength === 'number' && length < s.minLength) fail(path, `must have at least ${s.minLength} characters`);
		if (typeof s.maxLength === 'number' && length > s.maxLength) fail(path, `must have at most ${s.maxLength} characters`);
		const checker = typeof s.format === 'string' ? run.formats[s.format] : undefined;
		if (checker && !checker(value)) fail(path, `must be a valid ${s.format}`);
	}
	if (typeof value === 'number') {
		if (typeof s.minimum === 'number' && value < s.minimum) fail(path, `must be >= ${s.minimum}`);
		if (typeof s.maximum === 'number' && value > s.maximum) fail(path, `must be <= ${s.maximum}`);
		if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) fail(path, `must be > ${s.exclusiveMinimum}`);
		if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) fail(path, `must be < ${s.exclusiveMaximum}`);
	}
	if (Array.isArray(value)) {
		if (typeof s.minItems === 'number' && value.length < s.minItems) fail(path, `must have at least ${s.minItems} items`);
		if (typeof s.maxItems === 'number' && value.length > s.maxItems) fail(path, `must have at most ${s.maxItems} items`);
		if (s.items !== undefined) value.forEach((item, i) => errors.push(...check(s.items as JsonSchema, item, [...path, i], run)));
	}
	if (isObject(value)) {
		const properties = isObject(s.properties) ? (s.properties as Record<string, JsonSchema>) : {};
		if (Array.isArray(s.required)) for (const name of s.required as string[]) if (!(name in value)) fail([...path, name], 'is required');
		for (const [name, v] of Object.entries(value)) {
			if (name in properties) errors.push(...check(properties[name], v, [...path, name], run));
			else if (s.additionalProperties === false) fail([...path, name], 'is not allowed (unknown property)');
			else if (s.additionalProperties !== undefined) errors.push(...check(s.additionalProperties as JsonSchema, v, [...path, name], run));
		}
	}

	if (Array.isArray(s.allOf)) for (const sub of s.allOf as JsonSchema[]) errors.push(...check(sub, value, path, run));
	if (Array.isArray(s.anyOf)) {
		const branches = s.anyOf as JsonSchema[];
		if (!branches.some((b) => check(b, value, path, run).length === 0)) {
			const values = enumSummary(branches.map((b) => deref(b, run)));
			fail(path, values ? `must be one of: ${values.map(show).join(', ')}` : 'must match at least one schema in anyOf');
		}
	}
	if (Array.isArray(s.oneOf)) errors.push(...checkOneOf(s.oneOf as JsonSchema[], value, path, run));
	return errors;
}

function checkOneOf(rawBranches: JsonSchema[], value: unknown, path: Path, run: Run): SchemaError[] {
	const branches = rawBranches.map((b) => deref(b, run));
	const results = branches.map((b) => check(b, value, path, run));
	const matching = results.filter((r) => r.length === 0).length;
	if (matching === 1) return [];
	if (matching > 1) return [{ path: path.join('.'), message: `matches ${matching} schemas in oneOf, expected exactly one` }];
	const discriminator = discriminatorOf(branches);
	if (discriminator !== null && isObject(value)) {
		const at = [...path, discriminator].join('.');
		if (!(discriminator in value)) return [{ path: at, message: 'is required' }];
		const index = branches.findIndex((b) => deepEqual(((b as Record<string, Record<string, { enum: unknown[] }>>).properties[discriminator].enum)[0], value[discriminator]));
		if (index >= 0) return results[index];
		const allowed = branches.map((b) => (b as Record<string, Record<string, { enum: unknown[] }>>).properties[discriminator].enum[0]);
		return [{ path: at, message: `must be one of: ${allowed.map(show).join(', ')}` }];
	}
	return [{ path: path.join('.'), message: 'must match exactly one schema in oneOf' }];
}

export function evaluateSchema(schema: JsonSchema, value: unknown, options: EvaluateOptions = {}): EvaluationResult {
	const run: Run = { root: options.root ?? apiframeOpenApi, formats: { ...DEFAULT_FORMATS, ...options.formats } };
	const errors = check(schema, value, [], run);
	return { valid: errors.length === 0, errors };
}

/** Validates against `#/components/schemas/<name>` of the bundled Apiframe spec (or options.root). */
export function validateAgainstComponent(name: string, value: unknown, options: EvaluateOptions = {}): EvaluationResult {
	return evaluateSchema({ $ref: `#/components/schemas/${name}` }, value, options);
}

/** The contract check for a body sent to POST /v2/videos/generate. */
export function validateGenerateVideoRequest(body: unknown, options: EvaluateOptions = {}): EvaluationResult {
	return validateAgainstComponent('GenerateVideoRequest', body, options);
}

/** Errors grouped like the API's 400 `details` (the value itself under 'body'). */
export function errorsToDetails(errors: SchemaError[]): Record<string, string[]> {
	const details: Record<string, string[]> = {};
	for (const e of errors) (details[e.path === '' ? 'body' : e.path] ??= []).push(e.message);
	return details;
}
