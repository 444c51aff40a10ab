import { parseArgs } from 'node:util';
import type { SandboxOptions } from './options';

export const CLI_DEFAULT_PORT = 5799;

export const CLI_USAGE = `Usage: node dist/sandbox/cli.js [options]

  --port N                  SANDBOX_PORT (default ${CLI_DEFAULT_PORT})
  --host H                  SANDBOX_HOST (default 127.0.0.1)
  --api-key K               SANDBOX_API_KEY
  --inactive-api-key K      SANDBOX_INACTIVE_API_KEY
  --queue-ms N              SANDBOX_QUEUE_MS
  --processing-ms N         SANDBOX_PROCESSING_MS
  --video-bytes N           SANDBOX_VIDEO_BYTES
  --credits N               SANDBOX_CREDITS
  --result-shape S          SANDBOX_RESULT_SHAPE (object|string)
  --last-frame-key K        SANDBOX_LAST_FRAME_KEY
  --webhook-signing-key M   SANDBOX_WEBHOOK_SIGNING_KEY (digest|hex)
  --public-url U            SANDBOX_PUBLIC_URL
  --quiet                   SANDBOX_LOG=0: no per-request log line
  --help`;

const STRING_FLAGS = {
	port: 'SANDBOX_PORT',
	host: 'SANDBOX_HOST',
	'api-key': 'SANDBOX_API_KEY',
	'inactive-api-key': 'SANDBOX_INACTIVE_API_KEY',
	'queue-ms': 'SANDBOX_QUEUE_MS',
	'processing-ms': 'SANDBOX_PROCESSING_MS',
	'video-bytes': 'SANDBOX_VIDEO_BYTES',
	credits: 'SANDBOX_CREDITS',
	'result-shape': 'SANDBOX_RESULT_SHAPE',
	'last-frame-key': 'SANDBOX_LAST_FRAME_KEY',
	'webhook-signing-key': 'SANDBOX_WEBHOOK_SIGNING_KEY',
	'public-url': 'SANDBOX_PUBLIC_URL',
} as const;

type Flag = keyof typeof STRING_FLAGS;

function integer(flag: string, text: string): number {
	if (!/^\d+$/.test(text)) throw new Error(`--${flag} expects a non-negative integer, got '${text}'`);
	return Number(text);
}

export type CliCommand = { kind: 'help' } | { kind: 'start'; options: SandboxOptions };

/** Flags win over environment variables, which win over defaults. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = {}): CliCommand {
	const { values } = parseArgs({
		args: argv,
		options: {
			...Object.fromEntries(Object.keys(STRING_FLAGS).map((f) => [f, { type: 'string' as const }])),
			quiet: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
		strict: true,
	});
	if (values.help) return { kind: 'help' };
	const given = values as Record<string, string | boolean | undefined>;
	const get = (flag: Flag): string | undefined => (given[flag] as string | undefined) ?? (env[STRING_FLAGS[flag]] || undefined);
	const num = (flag: Flag) => {
		const text = get(flag);
		return text === undefined ? undefined : integer(flag, text);
	};
	const options: SandboxOptions = {
		port: num('port') ?? CLI_DEFAULT_PORT,
		host: get('host'),
		apiKey: get('api-key'),
		inactiveApiKey: get('inactive-api-key'),
		queueMs: num('queue-ms'),
		processingMs: num('processing-ms'),
		videoBytes: num('video-bytes'),
		credits: num('credits'),
		resultShape: get('result-shape') as SandboxOptions['resultShape'],
		lastFrameKey: get('last-frame-key'),
		webhookSigningKey: get('webhook-signing-key') as SandboxOptions['webhookSigningKey'],
		publicUrl: get('public-url'),
		log: !(values.quiet === true || env.SANDBOX_LOG === '0' || env.SANDBOX_LOG === 'false'),
	};
	return { kind: 'start', options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SandboxOptions };
}
