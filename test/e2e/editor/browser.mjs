// @ts-check
// Debian's Chromium for the editor suite, driven by playwright-core: found, or installed with
// apt-get when this process is root (as the queue-mode suite installs PostgreSQL), and started
// headless with a new empty profile and nothing that reaches beyond loopback.
//
//   const browser = await launchBrowser();   // installs chromium first if needed (root only)
//   const page = browser.page;
//   ...
//   await browser.close();                   // also removes the profile

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** @typedef {import('playwright-core').Page} Page */

export const CHROMIUM = '/usr/bin/chromium';
const DEBIAN_PACKAGE = 'chromium';

/** A viewport that fits the node panel with its input and output beside it, and keeps PNGs small. */
export const VIEWPORT = { width: 1280, height: 800 };

// Headless, no GPU, no QUIC; no first-run, sync, component or background fetches, so the only
// traffic is to the n8n the suite started on 127.0.0.1. Playwright needs --no-sandbox as root.
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Debian's chromium with apt-get (waiting for another apt run rather than failing on its lock). */
function aptInstall() {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const lock = ['-o', 'DPkg::Lock::Timeout=600'];
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', DEBIAN_PACKAGE]]) {
		console.log(`editor suite: apt-get ${args.join(' ')}`);
		const r = spawnSync('apt-get', [...lock, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
		if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
	}
}

/**
 * The path of Debian's Chromium; when it is missing and this process is root with apt-get, installs
 * it and says so. Otherwise fails with what to install: the suite is never skipped for want of it.
 * @returns {string}
 */
export function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	const isRoot = process.getuid?.() === 0;
	const canApt = isRoot && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
	if (!canApt) {
		throw new Error(
			`The editor suite needs Debian's Chromium at ${CHROMIUM}, which is missing. ` +
				`Install it with \`sudo apt-get install -y ${DEBIAN_PACKAGE}\` (Debian/Ubuntu), ` +
				'or run the tests as root, when they install it themselves.',
		);
	}
	aptInstall();
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed ${DEBIAN_PACKAGE} but ${CHROMIUM} is still missing`);
	console.log(`editor suite: installed ${DEBIAN_PACKAGE} with apt-get`);
	return CHROMIUM;
}

/**
 * Starts Chromium with a new empty profile and opens one page.
 * @param {{ workDir: string }} options the profile goes in a folder inside workDir
 */
export async function launchBrowser({ workDir }) {
	const executablePath = ensureChromium();
	const userDataDir = fs.mkdtempSync(path.join(workDir, 'chromium-profile-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		args: FLAGS,
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	context.setDefaultTimeout(15000);
	context.setDefaultNavigationTimeout(30000);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		async close() {
			await context.close().catch(() => {});
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/**
 * Saves what the page shows (a screenshot and its text) into a new temp folder, for a failed step.
 * @param {Page} page
 * @param {string} step
 * @returns {Promise<string>} the folder
 */
export async function saveEvidence(page, step) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seedance-editor-failure-'));
	const slug = step.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60);
	await page.screenshot({ path: path.join(dir, `${slug}.png`) }).catch((err) => fs.writeFileSync(path.join(dir, 'screenshot-error.txt'), String(err)));
	const text = await page
		.evaluate(() => document.body.innerText)
		.catch((/** @type {unknown} */ err) => `(page text unavailable: ${err})`);
	fs.writeFileSync(path.join(dir, `${slug}.txt`), `${page.url()}\n\n${text}`);
	return dir;
}
