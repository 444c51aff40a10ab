import type { RouteContext } from '../context';
import { sendJson, sendValidationError } from '../http/respond';
import { boundaryOf, MultipartError, parseMultipart } from '../media/multipart';
import { MAX_UPLOAD_BYTES } from '../media/sniff';
import { DISCARD_SINK, UploadSink } from '../media/upload-sink';
import { UPLOAD_TTL_MS } from '../state/uploads';

/** Room for part headers and delimiters around the largest allowed file. */
const MULTIPART_OVERHEAD = 1024 * 1024;

/** POST /v2/uploads (multipart/form-data, field `file`) */
export async function uploadFile(rc: RouteContext): Promise<void> {
	const { ctx, req, res } = rc;
	const boundary = boundaryOf(req.headers['content-type']);
	if (!boundary) {
		req.resume();
		return sendValidationError(res, { file: ['Expected a multipart/form-data body with a file field'] }, 'No file uploaded');
	}
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD) {
		// answer now; the body is drained, never stored
		res.setHeader('Connection', 'close');
		req.resume();
		return sendValidationError(res, { file: [`File too large: uploads are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`] }, 'File too large');
	}

	let sink: UploadSink | null = null;
	let id = '';
	try {
		await parseMultipart(req, boundary, (headers) => {
			if (headers.name !== 'file' || sink) return DISCARD_SINK;
			const target = ctx.uploads.newFilePath();
			id = target.id;
			sink = new UploadSink(target.filePath);
			return sink;
		});
	} catch (err) {
		(sink as UploadSink | null)?.discard();
		if (err instanceof MultipartError) return sendValidationError(res, { body: [err.message] }, 'Malformed multipart body');
		throw err;
	}

	const file = sink as UploadSink | null;
	if (!file) return sendValidationError(res, { file: ['Required'] }, 'No file uploaded');
	if (file.rejection || !file.type) {
		const rejection = file.rejection ?? { error: 'Unsupported file type', message: 'Unsupported file type' };
		return sendValidationError(res, { file: [rejection.message] }, rejection.error);
	}
	const now = Date.now();
	const record = { id, filePath: file.filePath, kind: file.type.kind, contentType: file.type.contentType, byteSize: file.byteSize, createdAt: now, expiresAt: now + UPLOAD_TTL_MS };
	ctx.uploads.add(record);
	sendJson(res, 201, {
		id,
		url: `${ctx.baseUrl()}/uploads/${id}`,
		kind: record.kind,
		contentType: record.contentType,
		byteSize: record.byteSize,
		expiresAt: new Date(record.expiresAt).toISOString(),
	});
}
