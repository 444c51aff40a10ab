#!/usr/bin/env node
// @ts-check
// Renders the field reference (docs/fields.md) from the built nodes' own descriptions: every
// field's label, default, limits, choices and when it shows, and what each model accepts. The
// reference is never typed by hand, so it cannot say 5 where the node says 20.
//
//   npm run docs:fields          # build, then write docs/fields.md
//   node scripts/docs/fields.mjs --check   # exit 1 when docs/fields.md is not what the node says
//
// test/scripts/fields.test.mjs runs the check, and checks that the prose of README.md and docs/
// states no default or limit the description contradicts.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('n8n-workflow').INodeProperties} Property */
/** @typedef {import('n8n-workflow').INodePropertyOptions} PropertyOption */
/** @typedef {import('n8n-workflow').INodePropertyCollection} PropertyCollection */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIELDS_FILE = path.join(REPO_ROOT, 'docs', 'fields.md');

/**
 * What the reference is made from: the node classes n8n loads, and the model table the model
 * checks come from (the description names the models, the table says what each accepts).
 */
const BUILT = {
	seedance: 'dist/nodes/Seedance/Seedance.node.js',
	trigger: 'dist/nodes/Seedance/SeedanceTrigger.node.js',
	credential: 'dist/credentials/SeedanceApi.credentials.js',
	models: 'dist/nodes/Seedance/models/models.js',
	roles: 'dist/nodes/Seedance/request/referenceRoles.js',
};

/**
 * @typedef {object} BuiltNodes
 * @property {Property[]} seedance    the Seedance node's properties (its current version)
 * @property {Property[]} trigger     the Seedance Trigger's properties
 * @property {{ displayName: string, properties: Property[] }} credential
 * @property {Array<{ id: string, label: string, durations: { values: number[] } | { min: number, max: number }, resolutions: string[], aspectRatios: string[], generation: 1 | 2 }>} models
 * @property {{ image: number, video: number, audio: number, total: number }} referenceLimits
 * @property {{ min: number, max: number, total: number }} referenceVideoSeconds
 * @property {number} promptMaxLength
 * @property {Array<{ kind: string, value: string, name: string }>} roles
 * @property {(role: { kind: string, value: string, name: string }, position: number) => string} roleSentence
 */

/**
 * Loads the built package. Fails naming the build when dist/ is missing or stale in shape.
 * @param {string} [root]
 * @returns {BuiltNodes}
 */
export function loadBuilt(root = REPO_ROOT) {
	const require = createRequire(import.meta.url);
	/** @param {string} file */
	const load = (file) => {
		const full = path.join(root, file);
		if (!fs.existsSync(full)) throw new Error(`${file} is missing: run \`npm run build\` first`);
		return require(full);
	};
	const { Seedance } = load(BUILT.seedance);
	const { SeedanceTrigger } = load(BUILT.trigger);
	const { SeedanceApi } = load(BUILT.credential);
	const models = load(BUILT.models);
	const roles = load(BUILT.roles);
	const credential = new SeedanceApi();
	return {
		seedance: new Seedance().getNodeType().description.properties,
		trigger: new SeedanceTrigger().description.properties,
		credential: { displayName: credential.displayName, properties: credential.properties },
		models: models.SEEDANCE_MODELS,
		// The most any model takes; each model's own limits are its row's `references`.
		referenceLimits: models.widestReferenceLimits(),
		referenceVideoSeconds: models.widestReferenceLimits().videoSeconds,
		promptMaxLength: models.PROMPT_MAX_LENGTH,
		roles: roles.REFERENCE_ROLES,
		roleSentence: roles.roleSentence,
	};
}

/** @param {string} text */
const cell = (text) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

/** @param {unknown} value */
function showDefault(value) {
	if (value === '' || value === undefined || value === null) return '—';
	if (value === true) return 'on';
	if (value === false) return 'off';
	if (Array.isArray(value)) return value.length ? value.map((v) => `\`${v}\``).join(', ') : '—';
	if (typeof value === 'object') return Object.keys(value).length ? `\`${JSON.stringify(value)}\`` : '—';
	return `\`${String(value)}\``;
}

/**
 * Property options as their names, each with its value when the two differ.
 * @param {Property} property
 */
function choices(property) {
	const options = /** @type {PropertyOption[]} */ (property.options ?? []);
	return options.map(({ name, value }) => (String(value) === name ? `\`${name}\`` : `${name} (\`${value}\`)`)).join(', ');
}

/**
 * The limits and choices a field states.
 * @param {Property} property
 */
function limitsOf(property) {
	const parts = [];
	const { minValue, maxValue } = property.typeOptions ?? {};
	if (minValue !== undefined && maxValue !== undefined) parts.push(`${minValue} to ${maxValue}`);
	else if (minValue !== undefined) parts.push(`at least ${minValue}`);
	else if (maxValue !== undefined) parts.push(`at most ${maxValue}`);
	if (property.type === 'options' || property.type === 'multiOptions') {
		parts.push(`${property.type === 'multiOptions' ? 'any of' : 'one of'} ${choices(property)}`);
	}
	if (property.required) parts.push('required');
	if (property.typeOptions?.password) parts.push('hidden as a password');
	if (property.typeOptions?.multipleValues) parts.push('several entries');
	return parts.join('; ') || '—';
}

/**
 * When a field shows, in the words of the fields it depends on (resource and operation left out:
 * the section says them).
 * @param {Property} property
 * @param {Property[]} siblings   the fields a condition may name, to give option values their names
 */
function shownWhen(property, siblings) {
	const conditions = [];
	for (const [mode, rules] of Object.entries(property.displayOptions ?? {})) {
		for (const [key, values] of Object.entries(rules ?? {})) {
			const name = key.replace(/^\//, '');
			if (name === 'resource' || name === 'operation') continue;
			const other = siblings.find((candidate) => candidate.name === name);
			const label = other?.displayName ?? name;
			const options = /** @type {PropertyOption[]} */ (other?.options ?? []);
			// Hidden for every value the field offers: shown only when an expression gives it.
			const everyOption = options.length > 0 && options.every((option) => /** @type {unknown[]} */ (values).includes(option.value));
			if (mode === 'hide' && everyOption) {
				conditions.push(`${label} is set by an expression`);
				continue;
			}
			const named = /** @type {unknown[]} */ (values).map((value) => {
				if (value === true) return 'on';
				if (value === false) return 'off';
				return options.find((option) => option.value === value)?.name ?? String(value);
			});
			conditions.push(`${label} ${mode === 'hide' ? 'is not' : 'is'} ${named.join(' or ')}`);
		}
	}
	return conditions.join('; ') || '—';
}

/**
 * One row per field, a collection's options and a fixed collection's values under their parent.
 * @param {Property[]} properties
 * @param {Property[]} siblings
 * @param {string} [prefix]
 * @returns {string[]}
 */
function rows(properties, siblings, prefix = '') {
	return properties.flatMap((property) => {
		if (property.type === 'notice') return [];
		const label = `${prefix}${property.displayName}`;
		const row = `| ${cell(label)} | \`${property.name}\` | ${property.type} | ${cell(showDefault(property.default))} | ${cell(limitsOf(property))} | ${cell(shownWhen(property, siblings))} | ${cell(property.description ?? '')} |`;
		if (property.type === 'collection') {
			return [row, ...rows(/** @type {Property[]} */ (property.options ?? []), siblings, `${label} › `)];
		}
		if (property.type === 'fixedCollection') {
			const groups = /** @type {PropertyCollection[]} */ (property.options ?? []);
			return [row, ...groups.flatMap((group) => rows(/** @type {Property[]} */ (group.values), siblings, `${label} › `))];
		}
		return [row];
	});
}

/**
 * The panel's notices, as quotes above the table.
 * @param {Property[]} properties
 */
function notices(properties) {
	return properties.filter((property) => property.type === 'notice').flatMap((property) => [`> ${cell(property.displayName)}`, '']);
}

const TABLE_HEAD = ['| Field | Name | Type | Default | Limits and choices | Shown when | What it does |', '|---|---|---|---|---|---|---|'];

/**
 * The fields shown for one value of a selector (a resource, then an operation).
 * @param {Property[]} properties
 * @param {Record<string, string>} selected
 */
function shownFor(properties, selected) {
	return properties.filter((property) =>
		Object.entries(property.displayOptions?.show ?? {}).every(([key, values]) =>
			key in selected ? /** @type {unknown[]} */ (values).includes(selected[key]) : true,
		),
	);
}

/**
 * docs/fields.md as the built nodes describe themselves.
 * @param {BuiltNodes} built
 * @returns {string}
 */
export function renderFields(built) {
	const out = [
		'# Field reference',
		'',
		'<!-- Generated by scripts/docs/fields.mjs from the built nodes (npm run docs:fields). Do not edit: npm test fails when this file and the nodes disagree. -->',
		'',
		"Every field of the Seedance node, the Seedance Trigger and the Seedance API credential, as the nodes' own descriptions state them, then what each model accepts. *Name* is the parameter's name in a workflow's JSON; a field shows only when its *Shown when* holds. A setting under *Video Settings* is sent only when it is added; Apiframe applies its own default otherwise. For what each operation outputs, see [output.md](output.md).",
		'',
		`## Credential: ${built.credential.displayName}`,
		'',
		...TABLE_HEAD,
		...rows(built.credential.properties, built.credential.properties),
		'',
		'## Seedance node',
	];
	const resource = built.seedance.find((property) => property.name === 'resource');
	if (!resource) throw new Error('the Seedance node has no Resource field');
	for (const { name: resourceName, value: resourceValue } of /** @type {PropertyOption[]} */ (resource.options)) {
		const forResource = shownFor(built.seedance, { resource: String(resourceValue) });
		const operation = forResource.find((property) => property.name === 'operation');
		if (!operation) throw new Error(`resource ${resourceName} has no Operation field`);
		for (const op of /** @type {PropertyOption[]} */ (operation.options)) {
			const fields = shownFor(forResource, { resource: String(resourceValue), operation: String(op.value) }).filter(
				(property) => property.name !== 'resource' && property.name !== 'operation',
			);
			out.push('', `### ${resourceName} → ${op.name}`, '', cell(op.description ?? ''), '', ...notices(fields));
			const table = rows(fields, fields);
			out.push(...(table.length ? [...TABLE_HEAD, ...table] : ['No fields.']));
		}
	}
	out.push('', '## Seedance Trigger', '', ...notices(built.trigger), ...TABLE_HEAD, ...rows(built.trigger, built.trigger), '');
	out.push(...renderModels(built));
	return `${out.join('\n')}\n`;
}

/**
 * What each model accepts, and the limits of prompts and references.
 * @param {BuiltNodes} built
 */
function renderModels(built) {
	/** @param {BuiltNodes['models'][number]} model */
	const durations = (model) =>
		'values' in model.durations ? model.durations.values.join(', ') : `${model.durations.min} to ${model.durations.max}`;
	/** @param {boolean} yes */
	const mark = (yes) => (yes ? 'yes' : '—');
	const { referenceLimits: refs, referenceVideoSeconds: clip } = built;
	return [
		'## Models',
		'',
		'What Video → Generate and Video → Estimate accept for each *Model*. A value the model does not take fails the item, naming the field and the allowed values, before anything is billed. *Reference to Video*, *Edit with References*, *Return Last Frame*, *Web Search* and the *Adaptive* aspect ratio are for Seedance 2.x models only.',
		'',
		'| Model | Value | Duration (seconds) | Resolutions | Aspect ratios | Reference media, Return Last Frame, Web Search |',
		'|---|---|---|---|---|---|',
		...built.models.map(
			(model) =>
				`| ${model.label} | \`${model.id}\` | ${durations(model)} | ${model.resolutions.join(', ')} | ${model.aspectRatios.join(', ')} | ${mark(model.generation === 2)} |`,
		),
		'',
		'## Prompt and references',
		'',
		`- Prompt: 1 to ${built.promptMaxLength} characters, counting the sentences the references' roles add.`,
		`- References: up to ${refs.image} images, ${refs.video} videos and ${refs.audio} audios, ${refs.total} files in all; audio needs at least one reference image or video beside it.`,
		`- Reference videos: ${clip.min} to ${clip.max} seconds each, ${clip.total} seconds in all (checked when an entry gives its *Length (Seconds)*).`,
		'',
		'### Reference roles',
		'',
		'A role adds one sentence to the end of the prompt, naming the entry by its position in its own list (here the first entry).',
		'',
		'| Reference | Role | Value | Sentence added |',
		'|---|---|---|---|',
		...built.roles.map((role) => `| ${role.kind} | ${role.name} | \`${role.value}\` | ${cell(built.roleSentence(role, 1))} |`),
		'',
	];
}

/**
 * The number fields whose default and limits prose may quote, by label.
 * @param {BuiltNodes} built
 * @returns {Array<{ label: string, default: number, min?: number, max?: number }>}
 */
export function numberFacts(built) {
	/** @type {Map<string, { label: string, default: number, min?: number, max?: number }>} */
	const facts = new Map();
	/** @param {Property[]} properties */
	const visit = (properties) => {
		for (const property of properties) {
			if (property.type === 'number' && typeof property.default === 'number') {
				const fact = {
					label: property.displayName,
					default: property.default,
					min: property.typeOptions?.minValue,
					max: property.typeOptions?.maxValue,
				};
				const seen = facts.get(fact.label);
				// A label used twice with different figures cannot be checked by its label alone.
				if (seen && (seen.default !== fact.default || seen.max !== fact.max || seen.min !== fact.min)) facts.delete(fact.label);
				else facts.set(fact.label, fact);
			}
			if (property.type === 'collection') visit(/** @type {Property[]} */ (property.options ?? []));
			if (property.type === 'fixedCollection') {
				for (const group of /** @type {PropertyCollection[]} */ (property.options ?? [])) visit(/** @type {Property[]} */ (group.values));
			}
		}
	};
	visit(built.seedance);
	visit(built.trigger);
	return [...facts.values()];
}

/** @param {string} text */
const toNumber = (text) => Number(text.replace(/,/g, ''));

/** A figure as prose writes it: `1000`, `1,000`; a comma after it ends it. */
const FIGURE = '(\\d(?:[\\d,]*\\d)?)';

/**
 * Statements in prose that contradict a number field: "Concurrency (default 5, at most 50)",
 * "*Max Credits for This Run* … starts at 1000", or a table row `| Concurrency | 5 | … from 1 to 50`.
 * Only what follows the label in the same sentence (or table row) is read.
 * @param {string} text
 * @param {ReturnType<typeof numberFacts>} facts
 * @returns {string[]} one line per contradiction
 */
export function contradictions(text, facts) {
	/** @type {string[]} */
	const found = [];
	const lines = text.split('\n');
	for (const fact of facts) {
		const label = fact.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		lines.forEach((line, index) => {
			const tableRow = new RegExp(`^\\|\\s*\\*{0,2}${label}\\*{0,2}\\s*\\|\\s*\`?${FIGURE}\`?\\s*\\|(.*)$`).exec(line);
			/** @type {Array<[string, string, number | undefined]>} */
			const claims = [];
			if (tableRow) {
				claims.push(['default', tableRow[1], fact.default]);
				const range = new RegExp(`\\bfrom ${FIGURE} to ${FIGURE}`).exec(tableRow[2]);
				if (range) claims.push(['minimum', range[1], fact.min], ['maximum', range[2], fact.max]);
			}
			for (const match of line.matchAll(new RegExp(`\\b${label}(?![\\w(])([^.|]{0,80})`, 'g'))) {
				const after = match[1];
				const said = {
					default: new RegExp(`\\b(?:default(?: is| of)?|starts at)\\s*:?\\s*\`?${FIGURE}`).exec(after)?.[1],
					maximum: new RegExp(`\\b(?:at most|up to|maximum(?: of)?)\\s+\`?${FIGURE}`).exec(after)?.[1],
					range: new RegExp(`\\bfrom ${FIGURE} to ${FIGURE}`).exec(after),
				};
				if (said.default) claims.push(['default', said.default, fact.default]);
				if (said.maximum) claims.push(['maximum', said.maximum, fact.max]);
				if (said.range) claims.push(['minimum', said.range[1], fact.min], ['maximum', said.range[2], fact.max]);
			}
			for (const [what, stated, actual] of claims) {
				if (actual !== undefined && toNumber(stated) !== actual) {
					found.push(`line ${index + 1}: ${fact.label} ${what} is ${actual} in the node, ${stated} here: ${line.trim()}`);
				}
			}
		});
	}
	return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const rendered = renderFields(loadBuilt());
	if (process.argv.includes('--check')) {
		const committed = fs.existsSync(FIELDS_FILE) ? fs.readFileSync(FIELDS_FILE, 'utf8') : '';
		if (committed !== rendered) {
			console.error(`${path.relative(process.cwd(), FIELDS_FILE)} is not what the node describes: run \`npm run docs:fields\``);
			process.exit(1);
		}
		console.log(`${path.relative(process.cwd(), FIELDS_FILE)} matches the node's description`);
	} else {
		fs.mkdirSync(path.dirname(FIELDS_FILE), { recursive: true });
		fs.writeFileSync(FIELDS_FILE, rendered);
		console.log(`wrote ${path.relative(process.cwd(), FIELDS_FILE)}`);
	}
}
