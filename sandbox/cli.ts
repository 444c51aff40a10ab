import { CLI_USAGE, parseCliArgs } from './cli-args';
import { startSandbox } from './sandbox';

async function main(): Promise<void> {
	const command = parseCliArgs(process.argv.slice(2), process.env);
	if (command.kind === 'help') {
		process.stdout.write(`${CLI_USAGE}\n`);
		return;
	}
	const sandbox = await startSandbox(command.options);
	process.stdout.write(`Apiframe sandbox listening on ${sandbox.url} (API key: ${sandbox.apiKey})\n`);
	const stop = (signal: string) => {
		process.stdout.write(`${signal}: closing the sandbox\n`);
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
	process.stderr.write(`apiframe sandbox: ${err.message}\n`);
	process.exit(1);
});
