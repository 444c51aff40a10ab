import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodTypeAny } from 'zod';
import { GENERATE_REQUEST_SCHEMAS, SEEDANCE_MODEL_IDS } from '../../sandbox';
import { generateRequestSchema } from '../../sandbox/validation/generate-request';
import { validateGenerateRequest } from '../../sandbox/validation/validate-generate';
import { zodIssuesToDetails } from '../../sandbox/validation/details';
import { apiframeOpenApi, errorsToDetails, evaluateSchema, seedanceModelIdsInSpec, validateAgainstComponent, validateGenerateVideoRequest } from '../../sandbox/openapi';
import { FULL_BODIES, SCHEMA_INVALID } from './fixtures';

function sandboxAccepts(body: unknown): { ok: boolean; paths: string[] } {
	const parsed = generateRequestSchema.safeParse(body);
	return parsed.success ? { ok: true, paths: [] } : { ok: false, paths: Object.keys(zodIssuesToDetails(parsed.error.issues)) };
}

function specAccepts(body: unknown): { ok: boolean; paths: string[] } {
	const result = validateGenerateVideoRequest(body);
	return { ok: result.valid, paths: Object.keys(errorsToDetails(result.errors)) };
}

type Branch = { properties: { model: { enum: string[] }; seedanceParams: { properties: Record<string, any> } } };
const branches = (apiframeOpenApi.components.schemas.GenerateVideoRequest as { oneOf: Branch[] }).oneOf;
const branchOf = (model: string) => branches.find((b) => b.properties.model.enum[0] === model)!;

function unwrap(schema: ZodTypeAny): ZodTypeAny {
	let s: any = schema;
	while (s._def.typeName === 'ZodOptional' || s._def.typeName === 'ZodEffects') s = s._def.innerType ?? s._def.schema;
	return s;
}

describe('the copied OpenAPI file is the reference', () => {
	it('is a byte-identical copy shipped inside sandbox/openapi', () => {
		const copy = readFileSync(join(__dirname, '../../sandbox/openapi/apiframe-v2-seedance.openapi.json'), 'utf8');
		expect(JSON.parse(copy)).toEqual(apiframeOpenApi);
	});

	it('has a sandbox schema for every Seedance model it lists, and no other', () => {
		const inSpec = seedanceModelIdsInSpec();
		expect(inSpec).toHaveLength(8);
		expect([...inSpec].sort()).toEqual([...SEEDANCE_MODEL_IDS].sort());
		for (const id of inSpec) expect(GENERATE_REQUEST_SCHEMAS[id as keyof typeof GENERATE_REQUEST_SCHEMAS]).toBeDefined();
	});

	it.each(SEEDANCE_MODEL_IDS.map((id) => [id]))('%s: same top-level and seedanceParams keys and enums as the spec', (id) => {
		const branch = branchOf(id);
		const zodShape = GENERATE_REQUEST_SCHEMAS[id].shape as Record<string, ZodTypeAny>;
		expect(Object.keys(zodShape).sort()).toEqual(Object.keys(branch.properties).sort());
		const params = (unwrap(zodShape.seedanceParams) as any).shape as Record<string, ZodTypeAny>;
		const specParams = branch.properties.seedanceParams.properties;
		expect(Object.keys(params).sort()).toEqual(Object.keys(specParams).sort());
		expect((unwrap(params.resolution) as any).options).toEqual(specParams.resolution.enum);
		expect((unwrap(params.aspect_ratio) as any).options).toEqual(specParams.aspect_ratio.anyOf.map((a: any) => a.enum[0]));
	});

	it.each(Object.entries(FULL_BODIES))('both accept the full %s body', (_model, body) => {
		expect(specAccepts(body)).toEqual({ ok: true, paths: [] });
		expect(sandboxAccepts(body)).toEqual({ ok: true, paths: [] });
	});

	it.each(SCHEMA_INVALID.map((c) => [c.name, c] as const))('both reject %s at the same path', (_name, c) => {
		const spec = specAccepts(c.body);
		const sandbox = sandboxAccepts(c.body);
		expect(spec.ok).toBe(false);
		expect(sandbox.ok).toBe(false);
		expect(spec.paths).toContain(c.path);
		expect(sandbox.paths).toContain(c.path);
	});

	it('agrees on every duration, resolution and aspect ratio of every model', () => {
		const durations = [...Array.from({ length: 18 }, (_, i) => i), 4.5, 5.0, -1];
		const resolutions = ['360p', '480p', '720p', '1080p', '4k', '8k'];
		const ratios = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16', '9:21', 'adaptive', '2:1'];
		const bodies: unknown[] = [];
		for (const model of SEEDANCE_MODEL_IDS) {
			for (const duration of durations) bodies.push({ model, prompt: 'x', seedanceParams: { duration } });
			for (const resolution of resolutions) bodies.push({ model, prompt: 'x', seedanceParams: { resolution } });
			for (const aspect_ratio of ratios) bodies.push({ model, prompt: 'x', seedanceParams: { aspect_ratio } });
			for (const key of ['reference_image_urls', 'reference_video_urls', 'return_last_frame', 'web_search']) {
				bodies.push({ model, prompt: 'x', seedanceParams: { [key]: key.endsWith('urls') ? ['https://example.com/a'] : true } });
			}
		}
		const disagreements = bodies.filter((b) => specAccepts(b).ok !== sandboxAccepts(b).ok);
		expect(disagreements).toEqual([]);
		expect(bodies.filter((b) => specAccepts(b).ok).length).toBeGreaterThan(100);
	});

	it('goes beyond the spec only with the documented upstream rules', () => {
		const upstreamOnly = [
			{ model: 'seedance-2', prompt: 'x', seedanceParams: { reference_audio_urls: ['https://example.com/a.mp3'] } },
			{ model: 'seedance-2', prompt: 'x', seedanceParams: { start_image: 'https://example.com/s.png', reference_image_urls: ['https://example.com/r.png'] } },
		];
		for (const body of upstreamOnly) {
			expect(specAccepts(body).ok).toBe(true);
			expect(sandboxAccepts(body).ok).toBe(true);
			expect(validateGenerateRequest(body).ok).toBe(false);
		}
	});
});

describe('the OpenAPI evaluator', () => {
	it('checks the subset of JSON Schema the file uses', () => {
		const schema = {
			type: 'object',
			additionalProperties: false,
			required: ['a'],
			properties: {
				a: { type: ['integer', 'null'], minimum: 1, maximum: 3 },
				b: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', format: 'uri' } },
				c: { anyOf: [{ enum: ['x'], type: 'string' }, { enum: ['y'], type: 'string' }] },
				d: { type: 'string', minLength: 2, maxLength: 3 },
				e: { enum: ['pending', null], type: ['string', 'null'] },
			},
		};
		expect(evaluateSchema(schema, { a: null, b: ['https://x.example'], c: 'y', d: '😀😀', e: null }).errors).toEqual([]);
		const bad = evaluateSchema(schema, { a: 4, b: ['nope', 'https://a', 'https://b'], c: 'z', d: 'abcd', e: 'other', f: 1 });
		expect(Object.keys(errorsToDetails(bad.errors)).sort()).toEqual(['a', 'b', 'b.0', 'c', 'd', 'e', 'f']);
		expect(evaluateSchema(schema, {}).errors).toEqual([{ path: 'a', message: 'is required' }]);
		expect(evaluateSchema(schema, 'str').errors).toEqual([{ path: '', message: 'must be object (got string)' }]);
	});

	it('refuses keywords it does not implement rather than ignoring them', () => {
		expect(() => evaluateSchema({ type: 'string', pattern: '^a' }, 'a')).toThrow(/pattern/);
	});

	it('validates sandbox-shaped responses against the spec components', () => {
		expect(validateAgainstComponent('JobAccepted', { jobId: '3b241101-e2bb-4255-8caf-4136c566a962', status: 'QUEUED' }).valid).toBe(true);
		expect(validateAgainstComponent('JobAccepted', { jobId: 'nope', status: 'DONE' }).errors.map((e) => e.path).sort()).toEqual(['jobId', 'status']);
		expect(validateAgainstComponent('ModelCatalog', { models: [{ id: 'seedance-2', label: 'Seedance 2.0', modality: 'video', extra: true }] }).valid).toBe(true);
	});

	it('counts prompt length in code points, as JSON Schema does, where the zod-based API counts UTF-16 units', () => {
		const body = { model: 'seedance-2', prompt: '😀'.repeat(4000) };
		expect(validateGenerateVideoRequest(body).valid).toBe(true);
		expect(sandboxAccepts(body).ok).toBe(false);
	});
});
