import type { RouteContext } from '../context';
import { sendJson } from '../http/respond';

export const SANDBOX_USER_ID = '00000000-0000-4000-8000-000000000001';
export const SANDBOX_TEAM_ID = '00000000-0000-4000-8000-000000000002';
export const SANDBOX_API_KEY_ID = '00000000-0000-4000-8000-000000000003';

/** GET /v2/me */
export function getMe(rc: RouteContext): void {
	const { ctx } = rc;
	ctx.ledger.refundFailedJobs(ctx.jobs, Date.now());
	sendJson(rc.res, 200, {
		user: { id: SANDBOX_USER_ID, email: 'sandbox@apiframe.test', role: 'OWNER' },
		team: { id: SANDBOX_TEAM_ID, name: 'Sandbox Team', credits: ctx.ledger.balance, plan: 'sandbox', customerId: null },
		apiKey: { id: SANDBOX_API_KEY_ID, name: 'Sandbox key', prefix: rc.apiKey!.slice(0, 8) },
	});
}
