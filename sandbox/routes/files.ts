import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { RouteContext } from '../context';
import { parseRange } from '../http/range';
import { sendError } from '../http/respond';
import { lastFramePng } from '../media/asset-files';
import { createVideoStream, videoFileSize } from '../media/video';
import { jobStateAt, type JobRecord } from '../state/jobs';

const VIDEO_FILE = /^([0-9a-f-]{36})\.mp4$/;
const LAST_FRAME_FILE = /^([0-9a-f-]{36})-last-frame\.png$/;

/** Streams `open(start, end)` with Content-Length, honouring a single Range and HEAD. */
function serve(rc: RouteContext, contentType: string, total: number, open: (start: number, end: number) => Readable): void {
	const res: ServerResponse = rc.res;
	const range = parseRange(rc.req.headers.range, total);
	const headers: Record<string, string> = { 'Content-Type': contentType, 'Accept-Ranges': 'bytes', 'Cache-Control': 'public, max-age=86400' };
	if (range === 'unsatisfiable') return sendError(res, 416, 'Range not satisfiable', {}, { 'Content-Range': `bytes */${total}` });
	const start = range?.start ?? 0;
	const end = range?.end ?? total - 1;
	headers['Content-Length'] = String(end - start + 1);
	if (range) headers['Content-Range'] = `bytes ${start}-${end}/${total}`;
	res.writeHead(range ? 206 : 200, headers);
	if (rc.req.method === 'HEAD' || total === 0) {
		res.end();
		return;
	}
	const stream = open(start, end);
	stream.on('error', () => res.destroy());
	res.on('close', () => stream.destroy());
	stream.pipe(res);
}

/** Files exist only for a COMPLETED job whose files were not purged. */
function servableJob(rc: RouteContext, id: string): JobRecord | null {
	const job = rc.ctx.jobs.get(id);
	if (!job || job.expired || jobStateAt(job, Date.now()).status !== 'COMPLETED') return null;
	return job;
}

/** GET /files/<jobId>.mp4 and /files/<jobId>-last-frame.png: the CDN, no key needed. */
export function getResultFile(rc: RouteContext): void {
	const name = rc.params[0];
	const video = VIDEO_FILE.exec(name);
	if (video) {
		const job = servableJob(rc, video[1]);
		if (!job) return sendError(rc.res, 404, 'File not found');
		return serve(rc, 'video/mp4', videoFileSize(job.videoBytes), (start, end) => createVideoStream(job.id, job.videoBytes, start, end));
	}
	const frame = LAST_FRAME_FILE.exec(name);
	if (frame) {
		const job = servableJob(rc, frame[1]);
		if (!job || job.request.seedanceParams?.return_last_frame !== true) return sendError(rc.res, 404, 'File not found');
		const png = lastFramePng();
		return serve(rc, 'image/png', png.length, (start, end) => Readable.from([png.subarray(start, end + 1)]));
	}
	sendError(rc.res, 404, 'File not found');
}

/** GET /uploads/<id>: bytes of an upload, with the sniffed type. */
export function getUploadedFile(rc: RouteContext): void {
	const upload = rc.ctx.uploads.get(rc.params[0], Date.now());
	if (!upload) return sendError(rc.res, 404, 'File not found');
	serve(rc, upload.contentType, upload.byteSize, (start, end) => createReadStream(upload.filePath, { start, end }));
}
