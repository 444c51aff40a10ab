import type { RouteHandler } from '../context';
import { clearFaults, getOptions, listBilledJobs, listFaults, listRequests, listWebhookDeliveries, pushFaults, resetSandbox, setOptions } from './admin';
import { createAsset } from './assets';
import { getResultFile, getUploadedFile } from './files';
import { generateVideo } from './generate';
import { getJob, listJobs } from './jobs';
import { getMe } from './me';
import { listModels } from './models';
import { uploadFile } from './uploads';

export interface Route {
	method: string;
	pattern: RegExp;
	/** Whether an active API key is required. */
	auth: boolean;
	/** Admin routes are neither recorded nor subject to faults. */
	admin?: boolean;
	handler: RouteHandler;
}

export const ROUTES: Route[] = [
	{ method: 'POST', pattern: /^\/v2\/videos\/generate$/, auth: true, handler: generateVideo },
	{ method: 'GET', pattern: /^\/v2\/jobs$/, auth: true, handler: listJobs },
	{ method: 'GET', pattern: /^\/v2\/jobs\/([^/]+)$/, auth: true, handler: getJob },
	{ method: 'GET', pattern: /^\/v2\/me$/, auth: true, handler: getMe },
	{ method: 'POST', pattern: /^\/v2\/uploads$/, auth: true, handler: uploadFile },
	{ method: 'GET', pattern: /^\/v2\/models$/, auth: false, handler: listModels },
	{ method: 'POST', pattern: /^\/v2\/assets\/create$/, auth: true, handler: createAsset },
	{ method: 'GET', pattern: /^\/files\/([^/]+)$/, auth: false, handler: getResultFile },
	{ method: 'HEAD', pattern: /^\/files\/([^/]+)$/, auth: false, handler: getResultFile },
	{ method: 'GET', pattern: /^\/uploads\/([^/]+)$/, auth: false, handler: getUploadedFile },
	{ method: 'HEAD', pattern: /^\/uploads\/([^/]+)$/, auth: false, handler: getUploadedFile },
	{ method: 'POST', pattern: /^\/__sandbox\/faults$/, auth: true, admin: true, handler: pushFaults },
	{ method: 'GET', pattern: /^\/__sandbox\/faults$/, auth: true, admin: true, handler: listFaults },
	{ method: 'DELETE', pattern: /^\/__sandbox\/faults$/, auth: true, admin: true, handler: clearFaults },
	{ method: 'GET', pattern: /^\/__sandbox\/requests$/, auth: true, admin: true, handler: listRequests },
	{ method: 'GET', pattern: /^\/__sandbox\/jobs$/, auth: true, admin: true, handler: listBilledJobs },
	{ method: 'GET', pattern: /^\/__sandbox\/webhooks$/, auth: true, admin: true, handler: listWebhookDeliveries },
	{ method: 'POST', pattern: /^\/__sandbox\/reset$/, auth: true, admin: true, handler: resetSandbox },
	{ method: 'GET', pattern: /^\/__sandbox\/options$/, auth: true, admin: true, handler: getOptions },
	{ method: 'POST', pattern: /^\/__sandbox\/options$/, auth: true, admin: true, handler: setOptions },
];

export type RouteMatch = { kind: 'found'; route: Route; params: string[] } | { kind: 'methodNotAllowed'; allow: string[] } | { kind: 'notFound' };

export function matchRoute(method: string, path: string): RouteMatch {
	const allow: string[] = [];
	for (const route of ROUTES) {
		const match = route.pattern.exec(path);
		if (!match) continue;
		if (route.method === method) return { kind: 'found', route, params: match.slice(1) };
		allow.push(route.method);
	}
	return allow.length > 0 ? { kind: 'methodNotAllowed', allow } : { kind: 'notFound' };
}

export function isAdminPath(path: string): boolean {
	return path.startsWith('/__sandbox/');
}
