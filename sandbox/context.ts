import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseMutableOptions, resolveOptions, type ResolvedOptions, type SandboxOptions } from './options';
import { AssetStore } from './state/assets';
import { FaultQueue, type Fault } from './state/faults';
import { IdempotencyStore } from './state/idempotency';
import { JobStore } from './state/jobs';
import { RateLimiter } from './state/rate-limit';
import { Ledger } from './state/ledger';
import { RequestRecorder, type RecordedRequest } from './state/recorder';
import { UploadStore } from './state/uploads';
import { WebhookDispatcher } from './webhooks/dispatcher';
import { Sleeps } from './state/sleeps';

/** Everything one sandbox instance knows; routes get it through RouteContext. */
export class SandboxContext {
	options: ResolvedOptions;
	/** Where the server listens; set once it does. */
	listenUrl = '';
	readonly jobs = new JobStore();
	readonly ledger: Ledger;
	readonly idempotency = new IdempotencyStore();
	readonly recorder = new RequestRecorder();
	readonly faults = new FaultQueue();
	readonly uploads = new UploadStore();
	readonly assets = new AssetStore();
	readonly rateLimiter = new RateLimiter();
	readonly webhooks: WebhookDispatcher;
	private readonly sleeps = new Sleeps();

	constructor(options: SandboxOptions) {
		this.options = resolveOptions(options);
		this.ledger = new Ledger(this.options.credits);
		this.webhooks = new WebhookDispatcher(
			() => this.options,
			() => this.baseUrl(),
		);
	}

	/** Base of result and upload URLs. */
	baseUrl(): string {
		return (this.options.publicUrl ?? this.listenUrl).replace(/\/+$/, '');
	}

	setOptions(partial: unknown): void {
		const parsed = parseMutableOptions(partial);
		this.options = { ...this.options, ...parsed, publicUrl: parsed.publicUrl === undefined ? this.options.publicUrl : parsed.publicUrl };
		if (parsed.credits !== undefined) this.ledger.balance = parsed.credits;
	}

	/** Forgets jobs, uploads, assets, requests, deliveries, faults and rate-limit counts; restores the credit balance. Options stay. */
	reset(): void {
		this.jobs.clear();
		this.rateLimiter.clear();
		this.idempotency.clear();
		this.recorder.clear();
		this.faults.clear();
		this.uploads.clear();
		this.assets.clear();
		this.webhooks.reset();
		this.ledger.balance = this.options.credits;
	}

	/** A wait that close() cuts short, so no timer outlives the sandbox. */
	sleep(ms: number): Promise<void> {
		return this.sleeps.sleep(ms);
	}

	async dispose(): Promise<void> {
		this.sleeps.wakeAll();
		await this.webhooks.close();
		this.uploads.dispose();
	}
}

export interface RouteContext {
	ctx: SandboxContext;
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	/** Capture groups of the route pattern. */
	params: string[];
	/** The authenticated key, or null on routes without auth. */
	apiKey: string | null;
	record: RecordedRequest | null;
	/** A fault that let the request through to its route, for the route to apply (staleMs). */
	fault: Fault | null;
}

export type RouteHandler = (rc: RouteContext) => Promise<void> | void;
