// @ts-check
// Fixed names, ports and ids of the `npm start` demo.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_ROOT } from '../n8n/install.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const N8N_VERSION = '2.41.1';

// Fixed so that the printed URL, a bookmarked editor tab and the demo's notify URL stay valid
// across restarts; another port is taken only when one is busy.
export const PREFERRED_N8N_PORT = 5678;
export const PREFERRED_SANDBOX_PORT = 5799;

// Outside the clone, so the demo's workflows and executions survive `git clean` and restarts.
export const DEMO_USER_FOLDER = path.join(CACHE_ROOT, 'demo-user');
export const PACK_DIR = path.join(CACHE_ROOT, 'demo-pack');
export const STATE_FILE = path.join(DEMO_USER_FOLDER, 'demo-state.json');
export const SANDBOX_LOG = path.join(DEMO_USER_FOLDER, 'sandbox.log');

/** The demo login. n8n wants 8-64 characters with a digit and an uppercase letter. */
export const DEMO_OWNER = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Seedance-Demo-1',
};

export const APIFRAME_DEFAULT_URL = 'https://api.apiframe.ai';
export const SANDBOX_API_KEY = 'afk_sandbox_test_key';
export const CREDENTIAL_NAME = 'Seedance API';
export const CREDENTIAL_TYPE = 'seedanceApi';

/** The demo trigger's webhookId; its production URL is <WEBHOOK_URL>webhook/<id>/seedance. */
export const DEMO_WEBHOOK_ID = 'seedance-demo';
export const DEMO_WEBHOOK_PATH = `${DEMO_WEBHOOK_ID}/seedance`;

/**
 * The workflows imported at each start: the demos (scripts/start/demos/), then every example a
 * user imports (examples/).
 * Fixed ids make re-runs find what an earlier run created instead of importing a copy, and
 * give the printed links a stable address.
 */
export const DEMO_WORKFLOWS = [
	{ id: 'SdDemoTextVideo1', file: 'scripts/start/demos/text-to-video.json', role: 'textToVideo' },
	{ id: 'SdDemoSubmitNtfy', file: 'scripts/start/demos/submit-and-notify.json', role: 'submit' },
	{ id: 'SdDemoTrigger001', file: 'scripts/start/demos/trigger.json', role: 'trigger' },
];

export function workflowSpecs() {
	const examples = fs
		.readdirSync(path.join(REPO_ROOT, 'examples'))
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({
			// Derived from the file name, so an example keeps its id from one start to the next.
			id: `SdEx${crypto.createHash('sha256').update(f).digest('hex').slice(0, 12)}`,
			file: `examples/${f}`,
			role: 'example',
		}));
	return [...DEMO_WORKFLOWS, ...examples];
}

export const SEEDANCE_NODE_TYPE = 'n8n-nodes-seedance.seedance';
export const SEEDANCE_TRIGGER_TYPE = 'n8n-nodes-seedance.seedanceTrigger';
