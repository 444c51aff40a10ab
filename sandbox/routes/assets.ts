import { z } from 'zod';
import type { RouteContext } from '../context';
import { readJsonBody } from '../http/body';
import { sendError, sendJson, sendValidationError } from '../http/respond';
import { zodIssuesToDetails } from '../validation/details';
import { isHttpUrl } from '../validation/media-uri';

const createAssetSchema = z.object({
	url: z.string().refine(isHttpUrl, { message: 'Invalid url' }),
	type: z.enum(['image', 'video', 'audio']),
});

/** POST /v2/assets/create */
export async function createAsset(rc: RouteContext): Promise<void> {
	const body = await readJsonBody(rc.req);
	if (!body.ok) return sendError(rc.res, body.status, body.error, body.details ? { details: body.details } : {});
	if (rc.record) rc.record.body = body.value;
	const parsed = createAssetSchema.safeParse(body.value);
	if (!parsed.success) return sendValidationError(rc.res, zodIssuesToDetails(parsed.error.issues));
	const asset = rc.ctx.assets.create(parsed.data.url, parsed.data.type, Date.now());
	sendJson(rc.res, 201, { assetId: asset.assetId });
}
