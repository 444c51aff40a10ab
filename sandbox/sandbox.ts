import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { SandboxContext } from './context';
import { createVideoStream, videoSha256 } from './media/video';
import type { MutableOptions, ResolvedOptions, SandboxOptions } from './options';
import { createSandboxServer } from './server';
import type { Fault, PendingFault } from './state/faults';
import { jobToJson, type JobJson } from './state/job-view';
import { isTerminal, jobStateAt, type JobRecord } from './state/jobs';
import type { RecordedRequest } from './state/recorder';
import { DEFAULT_FAILURE_MESSAGE } from './directives';
import type { SendWebhookOptions, WebhookDelivery } from './webhooks/dispatcher';
import type { PostResult } from './webhooks/post';

export interface SandboxJobs {
	/** Newest first. */
	list(): JobRecord[];
	get(id: string): JobRecord | undefined;
	/** The Job object GET /v2/jobs/{id} would answer now. */
	view(id: string): JobJson | undefined;
	/** Makes a running job FAILED now (credits refunded). */
	fail(id: string, message?: string): void;
	/** Makes a running job CANCELLED now, as a cancel in Apiframe's dashboard would (no refund: the reference says nothing of one). */
	cancel(id: string): void;
	/** Marks the job's files as purged: expired: true once COMPLETED, files 404. */
	expire(id: string): void;
	/** Makes a running job COMPLETED now. */
	completeNow(id: string): void;
}

export interface SandboxFaults {
	push(fault: Fault): void;
	clear(): void;
	pending(): PendingFault[];
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:5799 */
	readonly url: string;
	readonly port: number;
	readonly apiKey: string;
	readonly options: Readonly<ResolvedOptions>;
	/** Current team balance. */
	readonly credits: number;
	readonly requests: RecordedRequest[];
	readonly webhookDeliveries: WebhookDelivery[];
	readonly jobs: SandboxJobs;
	readonly faults: SandboxFaults;
	setOptions(partial: MutableOptions): void;
	reset(): void;
	sendWebhook(url: string, payload: unknown, options?: SendWebhookOptions): Promise<PostResult>;
	/** SHA-256 (hex) of the bytes GET /files/<jobId>.mp4 serves. */
	videoSha256(jobId: string): Promise<string>;
	/** The same bytes as GET /files/<jobId>.mp4, without HTTP. */
	createVideoStream(jobId: string): Readable;
	close(): Promise<void>;
}

function requireJob(ctx: SandboxContext, id: string): JobRecord {
	const job = ctx.jobs.get(id);
	if (!job) throw new Error(`Unknown sandbox job ${id}`);
	return job;
}

function jobsApi(ctx: SandboxContext): SandboxJobs {
	return {
		list: () => ctx.jobs.all(),
		get: (id) => ctx.jobs.get(id),
		view: (id) => {
			const job = ctx.jobs.get(id);
			return job ? jobToJson(job, Date.now(), ctx.baseUrl()) : undefined;
		},
		fail: (id, message) => {
			const job = requireJob(ctx, id);
			const now = Date.now();
			if (isTerminal(jobStateAt(job, now).status)) throw new Error(`Job ${id} has already finished`);
			job.failAt = now;
			job.errorMessage = message ?? DEFAULT_FAILURE_MESSAGE;
		},
		cancel: (id) => {
			const job = requireJob(ctx, id);
			const now = Date.now();
			if (isTerminal(jobStateAt(job, now).status)) throw new Error(`Job ${id} has already finished`);
			job.cancelAt = now;
		},
		expire: (id) => {
			requireJob(ctx, id).expired = true;
		},
		completeNow: (id) => {
			const job = requireJob(ctx, id);
			const now = Date.now();
			if (isTerminal(jobStateAt(job, now).status)) return;
			const elapsed = now - job.createdAt;
			job.queueMs = Math.min(job.queueMs, elapsed);
			job.processingMs = elapsed - job.queueMs;
		},
	};
}

/** Starts an Apiframe v2 (Seedance) look-alike on a local port. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const ctx = new SandboxContext(options);
	const server = createSandboxServer(ctx);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(ctx.options.port, ctx.options.host, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (err) {
		await ctx.dispose();
		throw err;
	}
	const port = (server.address() as AddressInfo).port;
	const host = ctx.options.host.includes(':') ? `[${ctx.options.host}]` : ctx.options.host;
	ctx.listenUrl = `http://${host}:${port}`;

	let closing: Promise<void> | null = null;
	const close = () =>
		(closing ??= (async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await ctx.dispose();
			await closed;
		})());

	return {
		url: ctx.listenUrl,
		port,
		get apiKey() {
			return ctx.options.apiKey;
		},
		get options() {
			return ctx.options;
		},
		get credits() {
			ctx.ledger.refundFailedJobs(ctx.jobs, Date.now());
			return ctx.ledger.balance;
		},
		requests: ctx.recorder.requests,
		webhookDeliveries: ctx.webhooks.deliveries,
		jobs: jobsApi(ctx),
		faults: {
			push: (fault) => ctx.faults.push(fault),
			clear: () => ctx.faults.clear(),
			pending: () => ctx.faults.pending(),
		},
		setOptions: (partial) => ctx.setOptions(partial),
		reset: () => ctx.reset(),
		sendWebhook: (url, payload, opts) => ctx.webhooks.send(url, payload, opts),
		videoSha256: (jobId) => videoSha256(jobId, requireJob(ctx, jobId).videoBytes),
		createVideoStream: (jobId) => createVideoStream(jobId, requireJob(ctx, jobId).videoBytes),
		close,
	};
}
