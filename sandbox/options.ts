import { z } from 'zod';

export type ResultShape = 'object' | 'string';
export type WebhookSigningKeyMode = 'digest' | 'hex';

export interface SandboxOptions {
	/** 0 picks a free port. */
	port?: number;
	host?: string;
	apiKey?: string;
	/** A key the sandbox knows but treats as disabled: answers 403. */
	inactiveApiKey?: string;
	/** Time a job spends in QUEUED. */
	queueMs?: number;
	/** Time a job spends in PROCESSING; it completes queueMs + processingMs after creation. */
	processingMs?: number;
	/** Size of every result MP4; streamed, never held in memory. */
	videoBytes?: number;
	/** Team credit balance. */
	credits?: number;
	resultShape?: ResultShape;
	/** Key of the last-frame URL in an object result (the real key is undocumented). */
	lastFrameKey?: string;
	/** HMAC key: raw SHA-256 digest of the API key, or its hex string. */
	webhookSigningKey?: WebhookSigningKeyMode;
	/** Print one line per request. */
	log?: boolean;
	/** Base URL used in result and upload URLs, when clients reach the sandbox under another name. */
	publicUrl?: string;
	/** Waits before each webhook retry; one attempt more than entries. */
	webhookRetryDelaysMs?: number[];
	/** Minimum gap between two progress webhooks of one job. */
	progressWebhookIntervalMs?: number;
	webhookTimeoutMs?: number;
	/** Requests per second each API key may make to the API (not to result files); 0: no limit. Beyond it: 429 with Retry-After. */
	rateLimitPerSecond?: number;
}

export type ResolvedOptions = Required<Omit<SandboxOptions, 'publicUrl'>> & { publicUrl: string | null };

export const DEFAULT_OPTIONS: Readonly<ResolvedOptions> = Object.freeze({
	port: 0,
	host: '127.0.0.1',
	apiKey: 'afk_sandbox_test_key',
	inactiveApiKey: 'afk_sandbox_inactive_key',
	queueMs: 300,
	processingMs: 2700,
	videoBytes: 1024 * 1024,
	credits: 100000,
	resultShape: 'object' as ResultShape,
	lastFrameKey: 'lastFrameUrl',
	webhookSigningKey: 'digest' as WebhookSigningKeyMode,
	log: false,
	publicUrl: null,
	webhookRetryDelaysMs: [500, 1000, 2000],
	progressWebhookIntervalMs: 500,
	webhookTimeoutMs: 10000,
	rateLimitPerSecond: 0,
});

const ms = z.number().int().min(0).max(24 * 3600 * 1000);

/** Options that may change while the server runs (port and host are fixed at start). */
export const mutableOptionsSchema = z
	.object({
		apiKey: z.string().min(1),
		inactiveApiKey: z.string().min(1),
		queueMs: ms,
		processingMs: ms.min(1),
		videoBytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
		credits: z.number().int().min(0),
		resultShape: z.enum(['object', 'string']),
		lastFrameKey: z.string().min(1),
		webhookSigningKey: z.enum(['digest', 'hex']),
		log: z.boolean(),
		publicUrl: z.string().url().nullable(),
		webhookRetryDelaysMs: z.array(ms).max(10),
		progressWebhookIntervalMs: ms,
		webhookTimeoutMs: ms.min(1),
		rateLimitPerSecond: z.number().min(0).max(100000),
	})
	.partial()
	.strict();

export const startOptionsSchema = mutableOptionsSchema
	.extend({
		port: z.number().int().min(0).max(65535),
		host: z.string().min(1),
		publicUrl: z.string().url(),
	})
	.partial()
	.strict();

export type MutableOptions = z.infer<typeof mutableOptionsSchema>;

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
	const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
	const parsed = startOptionsSchema.safeParse(defined);
	if (!parsed.success) throw new Error(`Invalid sandbox options: ${parsed.error.message}`);
	return { ...DEFAULT_OPTIONS, ...parsed.data, webhookRetryDelaysMs: [...(parsed.data.webhookRetryDelaysMs ?? DEFAULT_OPTIONS.webhookRetryDelaysMs)] };
}

/** Throws on unknown or invalid keys so a typo in a test does not pass silently. */
export function parseMutableOptions(partial: unknown): MutableOptions {
	const parsed = mutableOptionsSchema.safeParse(partial);
	if (!parsed.success) throw new Error(`Invalid sandbox options: ${parsed.error.message}`);
	return parsed.data;
}
