import { Agent } from 'undici';
import type { ResolvedOptions } from '../options';
import { isTerminal, jobStateAt, type JobRecord, type JobState } from '../state/jobs';
import type { WebhookEvent } from '../validation/generate-request';
import { completedPayload, failedPayload, progressPayload, type WebhookPayload } from './payloads';
import { isRetryable, isSuccess, postWebhook, type PostResult } from './post';
import { signWebhookBody } from './sign';
import { Sleeps } from '../state/sleeps';

export interface WebhookDelivery {
	url: string;
	event: string;
	jobId: string | null;
	/** 1 for the first try of a delivery, 2 for its first retry... */
	attempt: number;
	statusCode: number | null;
	error: string | null;
	time: string;
	/** Sent with sandbox.sendWebhook rather than by a job. */
	manual: boolean;
}

export interface SendWebhookOptions {
	/** undefined: sign correctly; null: no signature header; a string: sent as is. */
	signature?: string | null;
	/** Sent instead of JSON.stringify(payload) (and signed, unless `signature` is given). */
	rawBody?: string;
	/** Key used for the signature; the sandbox API key by default. */
	apiKey?: string;
	/** X-Webhook-Event; payload.event by default; null sends no such header. */
	event?: string | null;
}

interface Tracked {
	job: JobRecord;
	url: string;
	events: Set<WebhookEvent>;
	lastProgress: number;
	lastProgressAt: number;
	busy: boolean;
	progressFailed: boolean;
}

export const DEFAULT_WEBHOOK_EVENTS: WebhookEvent[] = ['completed', 'failed'];
const TICK_MS = 100;

/** Emits job webhooks from one interval; job state itself needs no timer. */
export class WebhookDispatcher {
	readonly deliveries: WebhookDelivery[] = [];
	private readonly tracked = new Map<string, Tracked>();
	private readonly sleeps = new Sleeps();
	private readonly agent = new Agent({ keepAliveTimeout: 1000 });
	private interval: NodeJS.Timeout | null = null;
	private controller = new AbortController();
	private closed = false;

	constructor(
		private readonly options: () => ResolvedOptions,
		private readonly baseUrl: () => string,
	) {}

	track(job: JobRecord): void {
		const url = job.request.webhookUrl;
		if (!url || this.closed) return;
		job.webhookStatus = 'pending';
		this.tracked.set(job.id, {
			job,
			url,
			events: new Set(job.request.webhookEvents ?? DEFAULT_WEBHOOK_EVENTS),
			lastProgress: -1,
			lastProgressAt: 0,
			busy: false,
			progressFailed: false,
		});
		if (!this.interval) {
			this.interval = setInterval(() => this.tick(), TICK_MS);
			this.interval.unref();
		}
	}

	tick(now = Date.now()): void {
		for (const t of this.tracked.values()) {
			if (t.busy) continue;
			const state = jobStateAt(t.job, now);
			if (isTerminal(state.status)) {
				t.busy = true;
				void this.finish(t, state);
			} else if (
				state.status === 'PROCESSING' &&
				t.events.has('progress') &&
				state.progress !== t.lastProgress &&
				now - t.lastProgressAt >= this.options().progressWebhookIntervalMs
			) {
				t.busy = true;
				t.lastProgress = state.progress;
				t.lastProgressAt = now;
				void this.deliver(t.job, t.url, 'progress', progressPayload(t.job, state)).then((ok) => {
					if (!ok) t.progressFailed = true;
					t.busy = false;
				});
			}
		}
	}

	private async finish(t: Tracked, state: JobState): Promise<void> {
		const event: WebhookEvent = state.status === 'COMPLETED' ? 'completed' : 'failed';
		const signal = this.controller.signal;
		let ok = !t.progressFailed;
		if (t.events.has(event)) {
			const payload = event === 'completed' ? completedPayload(t.job, state, this.baseUrl()) : failedPayload(t.job, state);
			ok = await this.deliver(t.job, t.url, event, payload);
		}
		if (signal.aborted) return;
		t.job.webhookStatus = ok ? 'delivered' : 'failed';
		this.tracked.delete(t.job.id);
		if (this.tracked.size === 0) this.stopInterval();
	}

	/** Retries per options.webhookRetryDelaysMs; resolves true once a 2xx came back. */
	private async deliver(job: JobRecord, url: string, event: WebhookEvent, payload: WebhookPayload): Promise<boolean> {
		const signal = this.controller.signal;
		const options = this.options();
		const rawBody = JSON.stringify(payload);
		const headers = this.headers(event, signWebhookBody(rawBody, job.ownerKey, options.webhookSigningKey));
		const delays = options.webhookRetryDelaysMs;
		for (let attempt = 1; attempt <= delays.length + 1; attempt++) {
			if (signal.aborted) return false;
			const result = await postWebhook(this.agent, url, rawBody, headers, options.webhookTimeoutMs, signal);
			if (signal.aborted) return false;
			this.record(url, event, job.id, attempt, result, false);
			if (isSuccess(result.statusCode)) return true;
			if (!isRetryable(result.statusCode) || attempt > delays.length) return false;
			await this.sleep(delays[attempt - 1]);
		}
		return false;
	}

	/** One unretried delivery, for tests of a receiver's signature and replay handling. */
	async send(url: string, payload: unknown, opts: SendWebhookOptions = {}): Promise<PostResult> {
		const options = this.options();
		const rawBody = opts.rawBody ?? JSON.stringify(payload);
		const payloadObject = (payload ?? {}) as Record<string, unknown>;
		const event = opts.event === undefined ? (typeof payloadObject.event === 'string' ? payloadObject.event : 'unknown') : opts.event;
		const signature = opts.signature === undefined ? signWebhookBody(rawBody, opts.apiKey ?? options.apiKey, options.webhookSigningKey) : opts.signature;
		const result = await postWebhook(this.agent, url, rawBody, this.headers(event, signature), options.webhookTimeoutMs, this.controller.signal);
		const jobId = typeof payloadObject.jobId === 'string' ? payloadObject.jobId : null;
		this.record(url, event ?? '', jobId, 1, result, true);
		return result;
	}

	private headers(event: string | null, signature: string | null): Record<string, string> {
		const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'apiframe-sandbox-webhooks' };
		if (event !== null) headers['x-webhook-event'] = event;
		if (signature !== null) headers['x-webhook-signature'] = signature;
		return headers;
	}

	private record(url: string, event: string, jobId: string | null, attempt: number, result: PostResult, manual: boolean): void {
		this.deliveries.push({ url, event, jobId, attempt, statusCode: result.statusCode, error: result.error, time: new Date().toISOString(), manual });
	}

	private sleep(ms: number): Promise<void> {
		return this.sleeps.sleep(ms);
	}

	private stopInterval(): void {
		if (this.interval) clearInterval(this.interval);
		this.interval = null;
	}

	private cancelAll(): void {
		this.controller.abort();
		this.controller = new AbortController();
		this.sleeps.wakeAll();
		this.tracked.clear();
		this.stopInterval();
	}

	/** Drops pending deliveries and the delivery log. */
	reset(): void {
		this.cancelAll();
		this.deliveries.length = 0;
	}

	async close(): Promise<void> {
		this.closed = true;
		this.cancelAll();
		await this.agent.destroy();
	}
}
