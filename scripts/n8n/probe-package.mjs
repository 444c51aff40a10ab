// @ts-check
// A throwaway community package written at test time, so the e2e infrastructure can be proven
// without this repository's own nodes: one action node making an authenticated GET (and an
// optional binary download) and one credential with a header `authenticate` and a `test`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { npmPack } from './package.mjs';

export const PROBE_PACKAGE = 'n8n-nodes-e2e-probe';
export const PROBE_NODE_TYPE = `${PROBE_PACKAGE}.probe`;
export const PROBE_CREDENTIAL_TYPE = 'probeApi';

const NODE_JS = String.raw`'use strict';
class Probe {
	constructor() {
		this.description = {
			displayName: 'E2E Probe',
			name: 'probe',
			group: ['transform'],
			version: 1,
			description: 'Authenticated GET against a local test server',
			defaults: { name: 'Probe' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'probeApi', required: true }],
			properties: [
				{ displayName: 'Path', name: 'path', type: 'string', default: '/data' },
				{ displayName: 'Download File', name: 'download', type: 'boolean', default: false },
			],
		};
	}
	async execute() {
		const items = this.getInputData();
		const creds = await this.getCredentials('probeApi');
		const out = [];
		for (let i = 0; i < items.length; i++) {
			const json = await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', {
				method: 'GET',
				url: creds.baseUrl + this.getNodeParameter('path', i),
				json: true,
			});
			const item = { json, pairedItem: { item: i } };
			if (this.getNodeParameter('download', i)) {
				const body = await this.helpers.httpRequestWithAuthentication.call(this, 'probeApi', {
					method: 'GET',
					url: creds.baseUrl + '/file',
					encoding: 'arraybuffer',
				});
				item.binary = {
					data: await this.helpers.prepareBinaryData(Buffer.from(body), 'probe.bin', 'application/octet-stream'),
				};
			}
			out.push(item);
		}
		return [out];
	}
}
module.exports = { Probe };
`;

const CREDENTIAL_JS = String.raw`'use strict';
class ProbeApi {
	constructor() {
		this.name = 'probeApi';
		this.displayName = 'E2E Probe API';
		this.properties = [
			{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { 'X-API-Key': '={{$credentials.apiKey}}' } },
		};
		this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/ping' } };
	}
}
module.exports = { ProbeApi };
`;

/** Writes the probe package into a temp dir and packs it; returns { dir, tarball, cleanup() }. */
export function buildProbePackage() {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-probe-pkg-'));
	const dir = path.join(root, 'pkg');
	const pkg = {
		name: PROBE_PACKAGE,
		version: '0.1.0',
		description: 'e2e probe',
		keywords: ['n8n-community-node-package'],
		license: 'MIT',
		main: 'index.js',
		files: ['dist', 'index.js'],
		n8n: {
			n8nNodesApiVersion: 1,
			nodes: ['dist/nodes/Probe.node.js'],
			credentials: ['dist/credentials/ProbeApi.credentials.js'],
		},
		// Same shape as the real package: the peer must NOT be installed (n8n's copy is used).
		peerDependencies: { 'n8n-workflow': '*' },
	};
	fs.mkdirSync(path.join(dir, 'dist', 'nodes'), { recursive: true });
	fs.mkdirSync(path.join(dir, 'dist', 'credentials'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
	fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
	fs.writeFileSync(path.join(dir, 'dist', 'nodes', 'Probe.node.js'), NODE_JS);
	fs.writeFileSync(path.join(dir, 'dist', 'credentials', 'ProbeApi.credentials.js'), CREDENTIAL_JS);
	const out = path.join(root, 'out');
	fs.mkdirSync(out);
	return { dir, tarball: npmPack(dir, out), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}
