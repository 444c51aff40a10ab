#!/usr/bin/env node
// @ts-check
// Browser check of the Seedance nodes in a running `npm start`: logs into the editor, opens the
// Seedance and Seedance Trigger panels in several modes, checks that every field the node's
// description shows there is rendered with its label and its help, and saves screenshots to
// docs/screenshots/.
//
//   npm start                  # in another terminal
//   npm run screenshots        # N8N_URL, N8N_EMAIL, N8N_PASSWORD override what npm start printed
//
//   npm run screenshots -- --verbose   # also print each field's tooltip
//
// Exit codes: 0 all fields labelled, 1 a label (or help the node defines) is missing,
// 2 the check could not run (no chromium, n8n not reachable, login refused).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { N8nClient } from './n8n/client.mjs';
import { DEMO_OWNER, DEMO_WORKFLOWS, N8N_VERSION, PREFERRED_N8N_PORT, REPO_ROOT, SEEDANCE_NODE_TYPE, SEEDANCE_TRIGGER_TYPE } from './start/config.mjs';
import { readRunningState } from './start/state.mjs';

/** @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription */
/** @typedef {import('n8n-workflow').INodeParameters} INodeParameters */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/**
 * A field or notice the node's description says the panel shows.
 * @typedef {{ kind: 'notice', label: string }
 *   | { kind: 'field', name: string, label: string, help: string, parent?: string, count?: number }} ExpectedField
 */

/** A label the panel rendered. @typedef {{ for: string, title: string, hasHelp: boolean }} RenderedLabel */

/** @typedef {{ errors: string[], warnings: string[], extra: string[], counts: { fields: number, missing: number, helpShown: number } }} PanelResult */

/** A screenshot of the open panel, scrolled to a field (or the top). @typedef {{ shot?: string, scroll?: string }} Shot */

/**
 * One panel to check: a node in a workflow, and what to do there.
 * @typedef {Shot & { title: string, workflow: string, node: string, type: string, more?: Shot[],
 *   prepare?: (page: Page, params: Locator, result: PanelResult) => Promise<void> }} View
 */

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
const SCRATCH_ID = 'SdScreenshotScr1';

const running = readRunningState();
const BASE = (process.env.N8N_URL || running?.editorUrl || `http://127.0.0.1:${PREFERRED_N8N_PORT}`).replace(/\/+$/, '');
const EMAIL = process.env.N8N_EMAIL || running?.email || DEMO_OWNER.email;
const PASSWORD = process.env.N8N_PASSWORD || running?.password || DEMO_OWNER.password;

const VERBOSE = process.argv.includes('--verbose');
// A field's tooltip is hovered once per node type; the same field in the next panel is not re-hovered.
/** @type {Set<string>} */
const helpVerified = new Set();

/**
 * @template {{ name: string }} N
 * @param {{ nodes: N[] }} workflow
 * @param {string} name
 */
function nodeNamed(workflow, name) {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}" in the workflow (${workflow.nodes.map((n) => n.name).join(', ')})`);
	return node;
}

/** @param {string} role */
const byRole = (role) => {
	const spec = DEMO_WORKFLOWS.find((w) => w.role === role);
	if (!spec) throw new Error(`no demo workflow with the role ${role}`);
	return spec.id;
};

/**
 * @param {number} code
 * @param {string} message
 * @returns {never}
 */
function fail(code, message) {
	process.stderr.write(`\n${message}\n`);
	process.exit(code);
}

// ---- What the node's description says should be visible ------------------------------------

/** @returns {Record<string, INodeTypeDescription>} */
function loadDescriptions() {
	const dist = path.join(REPO_ROOT, 'dist', 'nodes', 'Seedance');
	if (!fs.existsSync(path.join(dist, 'Seedance.node.js'))) fail(2, 'dist/ has no built nodes: run `npm run build` (or `npm start`) first.');
	const { Seedance } = require(path.join(dist, 'Seedance.node.js'));
	const { SeedanceTrigger } = require(path.join(dist, 'SeedanceTrigger.node.js'));
	return { [SEEDANCE_NODE_TYPE]: describeNode(Seedance), [SEEDANCE_TRIGGER_TYPE]: describeNode(SeedanceTrigger) };
}

/**
 * The description the editor shows for a node class: its own, or for a versioned node (n8n's
 * VersionedNodeType) that of its default version.
 * @param {new () => import('n8n-workflow').INodeType | import('n8n-workflow').IVersionedNodeType} NodeClass
 */
function describeNode(NodeClass) {
	const type = new NodeClass();
	return 'nodeVersions' in type ? type.getNodeType().description : type.description;
}

/**
 * n8n's own display logic (n8n-workflow), so "visible" means what the editor means by it.
 * @param {INodeTypeDescription} description
 * @param {INodeParameters} parameters
 * @returns {ExpectedField[]}
 */
function expectedFields(description, parameters) {
	/** @type {typeof import('n8n-workflow')} */
	const { NodeHelpers } = require('n8n-workflow');
	const node = { typeVersion: Math.max(...[description.version].flat()) };
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	/**
	 * @param {import('n8n-workflow').INodeProperties} prop
	 * @param {INodeParameters} [ctx]
	 */
	const shown = (prop, ctx = values) => NodeHelpers.displayParameter(ctx, prop, node, description, values);
	/** @type {ExpectedField[]} */
	const out = [];
	for (const prop of description.properties) {
		if (prop.type === 'hidden' || !shown(prop)) continue;
		if (prop.type === 'notice') {
			out.push({ kind: 'notice', label: prop.displayName });
			continue;
		}
		out.push({ kind: 'field', name: prop.name, label: prop.displayName, help: prop.description || prop.hint || '' });
		const value = parameters[prop.name];
		if (!value || typeof value !== 'object') continue;
		const set = /** @type {INodeParameters} */ (value);
		if (prop.type === 'collection') {
			const options = /** @type {import('n8n-workflow').INodeProperties[]} */ (prop.options ?? []);
			for (const key of Object.keys(set)) {
				const opt = options.find((o) => o.name === key && shown(o, set));
				if (opt) out.push({ kind: 'field', name: opt.name, label: opt.displayName, help: opt.description || opt.hint || '', parent: prop.displayName });
			}
		}
		if (prop.type === 'fixedCollection') {
			const groups = /** @type {import('n8n-workflow').INodePropertyCollection[]} */ (prop.options ?? []);
			for (const group of groups) {
				const entries = [set[group.name] ?? []].flat();
				if (!entries.length) continue;
				for (const v of group.values) {
					if (v.type === 'hidden') continue;
					out.push({ kind: 'field', name: v.name, label: v.displayName, help: v.description || v.hint || '', parent: prop.displayName, count: entries.length });
				}
			}
		}
	}
	return out;
}

// ---- n8n REST ----------------------------------------------------------------------------------

// The editor this checks is the one `npm start` runs (or N8N_URL names); the calls used here are
// the same on 1.x and 2.x.
const client = new N8nClient({ baseUrl: BASE, major: Number(N8N_VERSION.split('.')[0]) });

async function removeScratch() {
	// 2.x deletes only archived workflows; a missing one answers 403/404.
	await client.rest('POST', `/workflows/${SCRATCH_ID}/archive`, {}).catch(() => {});
	await client.rest('DELETE', `/workflows/${SCRATCH_ID}`).catch(() => {});
}

/**
 * A throwaway workflow with the Seedance node in the modes the demo workflows do not show.
 * @param {{ id: string, name: string } | null | undefined} credentialRef
 */
function scratchWorkflow(credentialRef) {
	/**
	 * @param {string} name
	 * @param {number} x
	 * @param {number} y
	 * @param {INodeParameters} parameters
	 */
	const seedance = (name, x, y, parameters) => ({
		id: `scratch-${x}-${y}`,
		name,
		type: SEEDANCE_NODE_TYPE,
		typeVersion: 1,
		position: [x, y],
		parameters,
		credentials: credentialRef ? { seedanceApi: credentialRef } : undefined,
	});
	const gen = { resource: 'video', operation: 'generate', model: 'seedance-2' };
	return {
		id: SCRATCH_ID,
		name: 'Seedance panels (screenshots, temporary)',
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			seedance('Reference to Video', 0, 0, {
				...gen,
				prompt: 'The character from the first image dances in the style of the clip, to the beat of the track',
				inputMode: 'reference',
				referenceImages: { entries: [{ url: 'https://example.com/character.png' }, { url: 'asset://a1b2c3' }] },
				referenceVideos: { entries: [{ url: 'https://example.com/dance.mp4', durationSeconds: 6 }] },
				referenceAudios: { entries: [{ url: 'data' }] },
			}),
			seedance('All settings', 240, 0, {
				...gen,
				prompt: 'A red fox runs through fresh snow at dawn, slow tracking shot',
				inputMode: 'text',
				videoSettings: {
					aspectRatio: '16:9',
					cameraFixed: false,
					duration: 8,
					generateAudio: true,
					resolution: '1080p',
					returnLastFrame: true,
					seed: 42,
					webSearch: false,
				},
				waitForCompletion: true,
				downloadVideo: true,
				options: {
					binaryPropertyName: 'data',
					concurrency: 5,
					idempotencyKey: "={{ 'sheet-row-' + $json.row_number }}",
					lastFrameBinaryPropertyName: 'lastFrame',
					notifyEvents: ['completed', 'failed'],
					notifyWebhookUrl: 'https://n8n.example.com/webhook/seedance-demo/seedance',
					pollInterval: 10,
					timeout: 900,
				},
			}),
			seedance('Image to Video', 480, 0, {
				...gen,
				prompt: 'The still comes to life',
				inputMode: 'image',
				firstFrame: 'https://example.com/first.png',
				lastFrame: 'https://example.com/last.png',
			}),
			seedance('Extend a Clip', 0, 240, { ...gen, prompt: 'She opens the door', inputMode: 'extend', continueFrom: '={{ $json.jobId }}' }),
			seedance('Edit with References', 240, 240, {
				...gen,
				prompt: 'Replace the red car with a blue convertible',
				inputMode: 'edit',
				referenceVideos: { entries: [{ url: 'data' }] },
			}),
			seedance('Job Get', 480, 240, { resource: 'job', operation: 'get', jobId: '={{ $json.jobId }}', waitForCompletion: true, options: { pollInterval: 5, timeout: 600 } }),
			seedance('Account Get', 720, 240, { resource: 'account', operation: 'get' }),
		],
	};
}

// ---- Browser -----------------------------------------------------------------------------------

function ensureChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		fail(
			2,
			`No Chromium at ${CHROMIUM}. Install Debian's (as root): apt-get update && apt-get install -y chromium\n` +
				'or point CHROMIUM_PATH at another Chromium or Chrome binary.',
		);
	}
}

async function launch() {
	const { chromium } = require('playwright-core');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-screenshots-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1400, height: 900 },
		args: [
			'--no-sandbox',
			'--headless',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
		],
	});
	return {
		context,
		async close() {
			await context.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/** @param {BrowserContext} context */
async function uiLogin(context) {
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(`${BASE}/signin`);
	await page.fill('#emailOrLdapLoginId', EMAIL);
	await page.fill('#password', PASSWORD);
	await page.click('[data-test-id="form-submit-button"]');
	try {
		await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 20000 });
	} catch {
		await page.screenshot({ path: path.join(os.tmpdir(), 'seedance-signin-failed.png') });
		fail(2, `The editor did not accept ${EMAIL} (still on the sign-in page). Set N8N_EMAIL / N8N_PASSWORD.`);
	}
	return page;
}

/**
 * Opens a workflow in a fresh tab (no "unsaved changes" prompt) and the node's panel.
 * @param {BrowserContext} context
 * @param {string} workflowId
 * @param {string} nodeName
 */
async function openNode(context, workflowId, nodeName) {
	const page = await context.newPage();
	await page.goto(`${BASE}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 30000 });
	await node.dblclick();
	const params = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
	await params.waitFor({ timeout: 15000 });
	// Options lists and collections render a moment after the panel itself.
	await page.waitForTimeout(800);
	return { page, params };
}

/**
 * The labels the panel shows: title text, the parameter name it belongs to, and its help icon.
 * @param {Locator} params
 * @returns {Promise<RenderedLabel[]>}
 */
async function renderedLabels(params) {
	return params.locator('label.n8n-input-label').evaluateAll((labels) =>
		labels
			.filter((l) => l.checkVisibility())
			.map((l) => ({
				for: l.getAttribute('for') || '',
				// The first child holds the title and the help icon; the rest is the Fixed/Expression switch.
				title: (l.firstElementChild?.textContent ?? l.textContent ?? '').replace(/\s+/g, ' ').trim(),
				hasHelp: !!l.querySelector('[data-icon="circle-help"]'),
			})),
	);
}

/**
 * Hovers a label's help icon and returns the tooltip text ('' if none appears).
 * @param {Page} page
 * @param {Locator} params
 * @param {RenderedLabel} label
 */
async function tooltipOf(page, params, label) {
	const el = params.locator(`label.n8n-input-label[for="${label.for}"]`).filter({ hasText: label.title }).first();
	await el.scrollIntoViewIfNeeded();
	await el.hover();
	const icon = el.locator('[data-icon="circle-help"]').first();
	await icon.hover({ force: true });
	const tip = page.locator('[data-test-id="tooltip-content"]').filter({ visible: true }).last();
	let text = '';
	try {
		await tip.waitFor({ state: 'visible', timeout: 3000 });
		text = (await tip.innerText()).replace(/\s+/g, ' ').trim();
	} catch {
		// No tooltip appeared: the caller reports that.
	}
	await page.mouse.move(5, 5);
	await page.waitForTimeout(150);
	return text;
}

/** @param {unknown} s */
const norm = (s) =>
	String(s)
		.replace(/<[^>]+>/g, '')
		.replace(/[`*_]/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();

/**
 * Compares the panel with the description; returns { errors, warnings, counts }.
 * @param {Page} page
 * @param {Locator} params
 * @param {ExpectedField[]} expected
 * @param {string} type
 * @returns {Promise<PanelResult>}
 */
async function checkPanel(page, params, expected, type) {
	const labels = await renderedLabels(params);
	const panelText = norm(await params.innerText());
	/** @type {string[]} */
	const errors = [];
	/** @type {string[]} */
	const warnings = [];
	let helpShown = 0;
	let missing = 0;
	const used = new Set();
	for (const f of expected) {
		if (f.kind === 'notice') {
			if (!panelText.includes(norm(f.label).slice(0, 60))) errors.push(`notice not shown: "${f.label.slice(0, 60)}…"`);
			continue;
		}
		const where = f.parent ? `${f.parent} › ${f.label}` : f.label;
		const matches = labels.filter((l) => l.title === f.label && (l.for === f.name || !l.for));
		if (!matches.length) {
			missing++;
			errors.push(`no label "${where}" (parameter ${f.name}); labels shown: ${[...new Set(labels.map((l) => l.title))].join(', ')}`);
			continue;
		}
		if (f.count && matches.length < f.count) errors.push(`"${where}" shown ${matches.length} times for ${f.count} entries`);
		const key = `${f.name}|${f.label}`;
		if (used.has(key)) continue;
		used.add(key);
		if (!f.help) {
			warnings.push(`"${where}" has no help text in the node's description`);
			continue;
		}
		const label = matches[0];
		if (!label.hasHelp) {
			errors.push(`"${where}" has a description but the panel shows no help icon`);
			continue;
		}
		const cacheKey = `${type}|${f.parent ?? ''}|${f.name}|${f.help}`;
		if (helpVerified.has(cacheKey)) {
			helpShown++;
			continue;
		}
		const tip = await tooltipOf(page, params, label);
		if (VERBOSE) console.log(`     ${where}: ${tip || '(no tooltip)'}`);
		if (!tip) errors.push(`"${where}": hovering its help icon shows no tooltip`);
		else if (!norm(tip).includes(norm(f.help).slice(0, 40))) errors.push(`"${where}": tooltip "${tip.slice(0, 80)}" is not its description "${f.help.slice(0, 80)}"`);
		else {
			helpShown++;
			helpVerified.add(cacheKey);
		}
	}
	// Labels the description does not explain (n8n's own, like Credential, are expected).
	const known = new Set(expected.map((f) => f.label));
	const extra = [...new Set(labels.map((l) => l.title))].filter((t) => !known.has(t) && !/^Credential/.test(t));
	return { errors, warnings, extra, counts: { fields: expected.filter((f) => f.kind === 'field').length, missing, helpShown } };
}

/**
 * @param {Locator} params
 * @param {string} name
 */
async function scrollTo(params, name) {
	await params.locator(`label.n8n-input-label[for="${name}"]`).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
	await params.page().waitForTimeout(300);
}

/** @param {Locator} params */
async function scrollToTop(params) {
	await params.evaluate((el) => {
		for (let n = /** @type {HTMLElement | null} */ (el); n; n = n.parentElement) {
			if (/(auto|scroll)/.test(getComputedStyle(n).overflowY) && n.scrollHeight > n.clientHeight) n.scrollTop = 0;
		}
	});
	await params.page().waitForTimeout(300);
}

// ---- Main ------------------------------------------------------------------------------------

async function main() {
	ensureChromium();
	const descriptions = loadDescriptions();
	try {
		await fetch(`${BASE}/healthz`, { signal: AbortSignal.timeout(5000) });
	} catch {
		fail(2, `No n8n answers at ${BASE}. Start it with \`npm start\`, or set N8N_URL.`);
	}
	try {
		await client.login({ email: EMAIL, password: PASSWORD });
	} catch (err) {
		fail(2, `Login as ${EMAIL} at ${BASE} failed (${err.message}). Set N8N_EMAIL / N8N_PASSWORD.`);
	}

	// The running n8n must serve the description this check compares with.
	/** @type {INodeTypeDescription[]} */
	const served = await client.rest('POST', '/node-types', {
		nodeInfos: [SEEDANCE_NODE_TYPE, SEEDANCE_TRIGGER_TYPE].map((name) => ({ name, version: 1 })),
	});
	for (const [type, desc] of Object.entries(descriptions)) {
		const live = served.find((d) => type.endsWith(`.${d.name}`) || d.name === type);
		/** @param {INodeTypeDescription} d */
		const sig = (d) => JSON.stringify(d.properties.map((p) => [p.name, p.displayName, p.displayOptions ?? null]));
		if (!live) fail(2, `${BASE} does not know ${type}: is the package installed there?`);
		if (sig(live) !== sig(desc)) fail(2, `${BASE} runs another build of ${type} than dist/: restart \`npm start\` after building.`);
	}

	/** @type {{ id: string, name: string, type: string }[]} */
	const creds = await client.rest('GET', '/credentials');
	const cred = creds.find((c) => c.type === 'seedanceApi');
	await removeScratch();
	await client.rest('POST', '/workflows', scratchWorkflow(cred && { id: cred.id, name: cred.name }));
	const scratch = scratchWorkflow(null);
	const triggerWf = await client.getWorkflow(byRole('trigger'));
	const triggerWebhookId = triggerWf.nodes.find((n) => n.type === SEEDANCE_TRIGGER_TYPE)?.webhookId;
	/**
	 * @param {string} id
	 * @param {string} nodeName
	 */
	const demoParams = async (id, nodeName) => nodeNamed(await client.getWorkflow(id), nodeName).parameters;

	/** @type {View[]} */
	const views = [
		{ title: 'Generate, Text to Video (demo workflow)', workflow: byRole('textToVideo'), node: 'Seedance', type: SEEDANCE_NODE_TYPE, shot: 'seedance-generate.png' },
		{ title: 'Generate, Reference to Video', workflow: SCRATCH_ID, node: 'Reference to Video', type: SEEDANCE_NODE_TYPE, shot: 'seedance-generate-reference.png', scroll: 'inputMode' },
		{ title: 'Generate, every Video Setting and Option', workflow: SCRATCH_ID, node: 'All settings', type: SEEDANCE_NODE_TYPE, shot: 'seedance-video-settings.png', scroll: 'videoSettings', more: [{ shot: 'seedance-options.png', scroll: 'options' }] },
		{ title: 'Generate, Image to Video', workflow: SCRATCH_ID, node: 'Image to Video', type: SEEDANCE_NODE_TYPE },
		{ title: 'Generate, Extend a Clip', workflow: SCRATCH_ID, node: 'Extend a Clip', type: SEEDANCE_NODE_TYPE },
		{ title: 'Generate, Edit with References', workflow: SCRATCH_ID, node: 'Edit with References', type: SEEDANCE_NODE_TYPE },
		{ title: 'Job → Get', workflow: SCRATCH_ID, node: 'Job Get', type: SEEDANCE_NODE_TYPE },
		{ title: 'Account → Get', workflow: SCRATCH_ID, node: 'Account Get', type: SEEDANCE_NODE_TYPE },
		{
			title: 'Seedance Trigger (demo workflow)',
			workflow: byRole('trigger'),
			node: 'Seedance Trigger',
			type: SEEDANCE_TRIGGER_TYPE,
			shot: 'seedance-trigger.png',
			// Show the URL the notice tells the user to copy.
			async prepare(page, params, result) {
				await page.getByText('Webhook URLs', { exact: true }).click();
				await page.getByText('Production URL', { exact: true }).click();
				const want = `/webhook/${triggerWebhookId}/seedance`;
				const shown = page.getByText(want).first();
				try {
					await shown.waitFor({ timeout: 5000 });
				} catch {
					result.errors.push(`the Webhook URLs section shows no production URL ending in ${want}`);
				}
			},
		},
	];

	fs.mkdirSync(OUT_DIR, { recursive: true });
	const browser = await launch();
	let failed = 0;
	try {
		await uiLogin(browser.context);
		for (const view of views) {
			const parameters =
				view.workflow === SCRATCH_ID
					? nodeNamed(scratch, view.node).parameters
					: await demoParams(view.workflow, view.node);
			const expected = expectedFields(descriptions[view.type], parameters);
			const { page, params } = await openNode(browser.context, view.workflow, view.node);
			const result = await checkPanel(page, params, expected, view.type);
			if (view.prepare) await view.prepare(page, params, result);
			const shots = [];
			for (const s of [view, ...(view.more ?? [])]) {
				if (!s.shot) continue;
				if (s.scroll) await scrollTo(params, s.scroll);
				else await scrollToTop(params);
				await page.mouse.move(5, 5);
				await page.screenshot({ path: path.join(OUT_DIR, s.shot) });
				shots.push(`docs/screenshots/${s.shot}`);
			}
			await page.close();
			const ok = result.errors.length === 0;
			if (!ok) failed++;
			const { fields, missing, helpShown } = result.counts;
			console.log(`\n${ok ? 'ok  ' : 'FAIL'} ${view.title}: ${fields - missing} of ${fields} fields labelled, help shown for ${helpShown}`);
			for (const s of shots) console.log(`     screenshot ${s}`);
			for (const e of result.errors) console.log(`     ERROR ${e}`);
			for (const w of result.warnings) console.log(`     note  ${w}`);
			if (result.extra.length) console.log(`     other labels in the panel: ${result.extra.join(', ')}`);
		}
	} finally {
		await browser.close();
		await removeScratch();
	}
	if (failed) fail(1, `${failed} panel(s) have missing labels or help: see ERROR lines above.`);
	console.log(`\nAll ${views.length} panels show every field with its label. Screenshots in docs/screenshots/.`);
}

main().catch((err) => fail(2, err.stack || String(err)));
