import type { RouteContext } from '../context';
import { parsePromptDirectives } from '../directives';
import { readJsonBody } from '../http/body';
import { sendError, sendJson, sendValidationError } from '../http/respond';
import { creditCost } from '../models';
import { bodyHash, IDEMPOTENCY_KEY_MAX_LENGTH } from '../state/idempotency';
import { jobStateAt } from '../state/jobs';
import { validateGenerateRequest } from '../validation/validate-generate';

function idempotencyKeyOf(rc: RouteContext): string | undefined {
	const header = rc.req.headers['idempotency-key'];
	const value = Array.isArray(header) ? header[0] : header;
	return value === undefined || value === '' ? undefined : value;
}

/** POST /v2/videos/generate */
export async function generateVideo(rc: RouteContext): Promise<void> {
	const { ctx, req, res } = rc;
	const apiKey = rc.apiKey!;
	const idempotencyKey = idempotencyKeyOf(rc);
	if (idempotencyKey !== undefined && idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
		req.resume();
		return sendValidationError(res, { 'Idempotency-Key': [`Must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`] });
	}

	const body = await readJsonBody(req);
	if (!body.ok) return sendError(res, body.status, body.error, body.details ? { details: body.details } : {});
	if (rc.record) rc.record.body = body.value;

	const validation = validateGenerateRequest(body.value, (id) => ctx.assets.has(id));
	if (!validation.ok) return sendValidationError(res, validation.details);
	const request = validation.value;

	const now = Date.now();
	const hash = bodyHash(body.value);
	if (idempotencyKey !== undefined) {
		const seen = ctx.idempotency.lookup(apiKey, idempotencyKey, hash, now);
		if (seen.kind === 'conflict') return sendError(res, 409, 'Idempotency-Key was already used with a different request body');
		const original = seen.kind === 'replay' ? ctx.jobs.get(seen.jobId) : undefined;
		if (original) return sendJson(res, 202, { jobId: original.id, status: jobStateAt(original, now).status });
	}

	const cost = creditCost(request);
	ctx.ledger.refundFailedJobs(ctx.jobs, now);
	if (ctx.ledger.balance < cost) {
		return sendError(res, 402, 'Insufficient credits', { creditsRequired: cost, creditsAvailable: ctx.ledger.balance });
	}

	const options = ctx.options;
	const directives = parsePromptDirectives(request.prompt);
	const processingMs = directives.processingMs ?? options.processingMs;
	const job = ctx.jobs.create({
		ownerKey: apiKey,
		model: request.model,
		input: body.value,
		request,
		createdAt: now,
		queueMs: options.queueMs,
		processingMs,
		failAt: directives.fail ? now + options.queueMs + processingMs : null,
		cancelAt: directives.cancel && !directives.fail ? now + options.queueMs + processingMs : null,
		errorMessage: directives.fail ? directives.failMessage : null,
		expired: directives.expired,
		creditCost: cost,
		refunded: false,
		videoBytes: options.videoBytes,
		resultShape: options.resultShape,
		lastFrameKey: options.lastFrameKey,
		webhookStatus: null,
	});
	ctx.ledger.charge(cost);
	if (idempotencyKey !== undefined) ctx.idempotency.remember(apiKey, idempotencyKey, hash, job.id, now);
	ctx.webhooks.track(job);
	sendJson(res, 202, { jobId: job.id, status: 'QUEUED' });
}
