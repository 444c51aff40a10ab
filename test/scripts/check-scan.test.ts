import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// scripts/check-scan.mjs runs n8n's own scanner; these tests run it on copies of the package's
// source with one deliberate fault each, and on an untouched copy to show the fault is the cause.
const root = path.join(__dirname, '..', '..');
// Each scan lints the package twice over, about 10 s alone and several times that beside other suites.
jest.setTimeout(180_000);
const RULE_ID = 'n8n-nodes-base/node-param-options-type-unsorted-items';

let copies: string[] = [];
afterEach(() => {
	for (const copy of copies) rmSync(copy, { recursive: true, force: true });
	copies = [];
});

/** What the scanner reads of the source: package.json, nodes/ and credentials/. */
function copyOfSource(): string {
	const copy = mkdtempSync(path.join(tmpdir(), 'scan-copy-'));
	copies.push(copy);
	for (const entry of ['package.json', 'nodes', 'credentials']) {
		cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
	}
	return copy;
}

function scan(packageDir: string) {
	const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-scan.mjs'), packageDir], {
		encoding: 'utf8',
	});
	return { status: run.status, output: run.stdout + run.stderr };
}

function filesUnder(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name));
}

describe('scripts/check-scan.mjs, n8n community-package scan', () => {
	it('passes the package as it is', () => {
		const { status, output } = scan(copyOfSource());
		expect(output).toMatch(/^source \(.*\): \d+ files, 0 errors, 0 warnings; n8n's analyzePackage: passed$/m);
		expect(output).toMatch(/^tarball \(.*\): \d+ files, 0 errors, 0 warnings; n8n's analyzePackage: passed$/m);
		expect(status).toBe(0);
	});

	it('fails on unsorted options that an eslint-disable comment tries to hide', () => {
		const copy = copyOfSource();
		const fields = filesUnder(path.join(copy, 'nodes')).find((file) =>
			readFileSync(file, 'utf8').includes("name: 'inputMode'"),
		);
		if (!fields) throw new Error('No file under nodes/ defines the Input Mode field any more: update this test');
		const source = readFileSync(fields, 'utf8');
		const inputMode = source.indexOf("name: 'inputMode'");
		const options = source.indexOf('options: [', inputMode);
		const broken =
			source.slice(0, options) +
			`// eslint-disable-next-line ${RULE_ID}\n\t\t` +
			source.slice(options).replace("name: 'Edit with References'", "name: 'Zoom In with References'");
		writeFileSync(fields, broken);

		const { status, output } = scan(copy);
		expect(output).toContain(RULE_ID);
		expect(output).toMatch(/^source \(.*\): \d+ files, 1 errors, 0 warnings; n8n's analyzePackage: refused/m);
		expect(status).toBe(1);
	});

	it('fails on a warning that n8n alone would let pass, in the source and in the tarball', () => {
		const copy = copyOfSource();
		const packageJson = JSON.parse(readFileSync(path.join(copy, 'package.json'), 'utf8'));
		delete packageJson.homepage;
		writeFileSync(path.join(copy, 'package.json'), JSON.stringify(packageJson, null, 2));

		const { status, output } = scan(copy);
		expect(output).toMatch(/^source \(.*\): \d+ files, 0 errors, 1 warnings; n8n's analyzePackage: passed$/m);
		expect(output).toMatch(/^tarball \(.*\): \d+ files, 0 errors, 1 warnings; n8n's analyzePackage: passed$/m);
		expect(output.match(/@n8n\/community-nodes\/require-homepage/g)).toHaveLength(2);
		expect(status).toBe(1);
	});
});
