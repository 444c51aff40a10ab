import { z } from 'zod';
import type { RouteContext } from '../context';
import { readJsonBody } from '../http/body';
import { sendError, sendJson, sendNoContent, sendValidationError } from '../http/respond';
import type { Fault, FaultStatus, PendingFault } from '../state/faults';
import { jobToJson } from '../state/job-view';
import { zodIssuesToDetails } from '../validation/details';

const FAULT_STATUSES: FaultStatus[] = [200, 400, 401, 402, 403, 404, 409, 429, 500, 502, 503, 504];

function isRegExpSource(source: string): boolean {
	try {
		new RegExp(source);
		return true;
	} catch {
		return false;
	}
}

const faultSchema = z
	.object({
		method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional(),
		path: z.string().min(1).optional(),
		pathRegex: z.string().min(1).refine(isRegExpSource, { message: 'Invalid regular expression' }).optional(),
		status: z
			.number()
			.int()
			.refine((s) => (FAULT_STATUSES as number[]).includes(s), { message: `Expected one of ${FAULT_STATUSES.join(', ')}` })
			.optional(),
		retryAfter: z.number().min(0).optional(),
		body: z.record(z.unknown()).optional(),
		delayMs: z.number().int().min(0).max(600000).optional(),
		drop: z.boolean().optional(),
		dropAfterBytes: z.number().int().min(0).optional(),
		staleMs: z.number().int().min(1).max(600000).optional(),
		times: z.number().int().min(1).optional(),
		forMs: z.number().int().min(1).max(600000).optional(),
	})
	.strict()
	.refine((f) => !(f.times !== undefined && f.forMs !== undefined), { message: 'Give times or forMs, not both', path: ['forMs'] })
	.refine((f) => !(f.path !== undefined && f.pathRegex !== undefined), { message: 'Give path or pathRegex, not both', path: ['pathRegex'] });

const faultsBodySchema = z.union([faultSchema, z.array(faultSchema).min(1)]);

function toFault(input: z.infer<typeof faultSchema>): Fault {
	const { pathRegex, status, ...rest } = input;
	return { ...rest, status: status as FaultStatus | undefined, path: pathRegex !== undefined ? new RegExp(pathRegex) : input.path };
}

function faultJson(fault: PendingFault): Record<string, unknown> {
	const { path, ...rest } = fault;
	return path instanceof RegExp ? { ...rest, pathRegex: path.source } : { ...rest, path };
}

/** POST /__sandbox/faults: one fault or an array, same shape as sandbox.faults.push (pathRegex for a RegExp). */
export async function pushFaults(rc: RouteContext): Promise<void> {
	const body = await readJsonBody(rc.req);
	if (!body.ok) return sendError(rc.res, body.status, body.error, body.details ? { details: body.details } : {});
	const parsed = faultsBodySchema.safeParse(body.value);
	if (!parsed.success) return sendValidationError(rc.res, zodIssuesToDetails(parsed.error.issues));
	for (const fault of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) rc.ctx.faults.push(toFault(fault));
	sendJson(rc.res, 201, { faults: rc.ctx.faults.pending().map(faultJson) });
}

export function listFaults(rc: RouteContext): void {
	sendJson(rc.res, 200, { faults: rc.ctx.faults.pending().map(faultJson) });
}

export function clearFaults(rc: RouteContext): void {
	rc.ctx.faults.clear();
	sendNoContent(rc.res);
}

export function listRequests(rc: RouteContext): void {
	const { requests, counts } = rc.ctx.recorder;
	sendJson(rc.res, 200, { requests, counts: Object.fromEntries(counts) });
}

/** Every job of every key, newest first, with what it was charged: each job is billed once, at submit. */
export function listBilledJobs(rc: RouteContext): void {
	const now = Date.now();
	rc.ctx.ledger.refundFailedJobs(rc.ctx.jobs, now);
	const jobs = rc.ctx.jobs.all().map((job) => ({ ...jobToJson(job, now, rc.ctx.baseUrl()), refunded: job.refunded }));
	sendJson(rc.res, 200, { balance: rc.ctx.ledger.balance, jobs });
}

export function listWebhookDeliveries(rc: RouteContext): void {
	sendJson(rc.res, 200, { deliveries: rc.ctx.webhooks.deliveries });
}

export function resetSandbox(rc: RouteContext): void {
	rc.req.resume();
	rc.ctx.reset();
	sendNoContent(rc.res);
}

export function getOptions(rc: RouteContext): void {
	sendJson(rc.res, 200, { options: rc.ctx.options });
}

/** POST /__sandbox/options: partial options; port and host cannot change. */
export async function setOptions(rc: RouteContext): Promise<void> {
	const body = await readJsonBody(rc.req);
	if (!body.ok) return sendError(rc.res, body.status, body.error, body.details ? { details: body.details } : {});
	try {
		rc.ctx.setOptions(body.value);
	} catch (err) {
		return sendValidationError(rc.res, { body: [(err as Error).message] }, 'Invalid sandbox options');
	}
	sendJson(rc.res, 200, { options: rc.ctx.options });
}
