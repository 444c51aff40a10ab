import { CLI_DEFAULT_PORT, parseCliArgs } from '../../sandbox/cli-args';

describe('CLI arguments', () => {
	it('defaults to port 5799 with request logging', () => {
		expect(parseCliArgs([], {})).toEqual({ kind: 'start', options: { port: CLI_DEFAULT_PORT, log: true } });
	});

	it('reads flags, then environment variables', () => {
		const env = { SANDBOX_PORT: '6000', SANDBOX_PROCESSING_MS: '100', SANDBOX_RESULT_SHAPE: 'string', SANDBOX_LOG: '0' };
		expect(parseCliArgs(['--port', '7000', '--video-bytes', '5242880', '--webhook-signing-key', 'hex'], env)).toEqual({
			kind: 'start',
			options: { port: 7000, processingMs: 100, videoBytes: 5242880, resultShape: 'string', webhookSigningKey: 'hex', log: false },
		});
	});

	it('rejects malformed numbers and unknown flags', () => {
		expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/port/);
		expect(() => parseCliArgs(['--nope'])).toThrow();
	});

	it('has a help command', () => {
		expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
	});
});
