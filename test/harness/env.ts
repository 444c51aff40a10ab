import { GlobalConfig, InstanceSettingsConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, InstanceSettings } from 'n8n-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `filesystem` stores binary data as files under a temp folder (n8n's default mode);
 * `default` keeps it base64 in the item, as n8n's in-memory mode does.
 */
export type BinaryDataMode = 'filesystem' | 'default';

export interface HarnessEnvironment {
	/** Root temp folder of this process' harness (removed by `disposeHarness`). */
	rootDir: string;
	/** The n8n user folder (InstanceSettings writes its `config` file here). */
	n8nFolder: string;
	/** Where filesystem-mode binary data is written. */
	binaryDataDir: string;
	binaryDataMode: BinaryDataMode;
}

let environment: HarnessEnvironment | undefined;
let initPromise: Promise<HarnessEnvironment> | undefined;
let exitHookInstalled = false;

/**
 * Sets up n8n-core's DI container once per module registry (so once per jest test file):
 * InstanceSettings in a temp n8n folder, a silent logger, and the BinaryDataService.
 * Everything n8n-core later pulls from the container (ErrorReporter, OutboundHttp,
 * ExecutionContextService, Cipher…) is then built lazily by the container itself.
 */
export async function ensureN8nCore(
	binaryDataMode: BinaryDataMode = 'filesystem',
): Promise<HarnessEnvironment> {
	if (!initPromise) {
		initPromise = bootstrap(binaryDataMode).catch((error) => {
			initPromise = undefined;
			throw error;
		});
	}
	const env = await initPromise;
	if (env.binaryDataMode !== binaryDataMode) await setBinaryDataMode(binaryDataMode);
	return env;
}

async function bootstrap(binaryDataMode: BinaryDataMode): Promise<HarnessEnvironment> {
	const rootDir = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	const n8nFolder = path.join(rootDir, '.n8n');
	const binaryDataDir = path.join(rootDir, 'binary-data');
	mkdirSync(n8nFolder, { recursive: true });
	mkdirSync(binaryDataDir, { recursive: true });

	// Must be registered before anything resolves it, otherwise InstanceSettings would
	// create (and write an encryption key into) the real ~/.n8n of whoever runs the tests.
	const instanceSettingsConfig = Object.assign(new InstanceSettingsConfig(), {
		n8nFolder,
		userHome: rootDir,
		encryptionKey: 'n8n-node-test-harness-encryption-key',
		enforceSettingsFilePermissions: false,
	});
	Container.set(InstanceSettingsConfig, instanceSettingsConfig);

	// The Logger reads its level when constructed; errors the nodes throw on purpose are
	// reported through ErrorReporter -> Logger and would otherwise flood the test output.
	const globalConfig = Container.get(GlobalConfig);
	globalConfig.logging.level = (process.env.N8N_LOG_LEVEL as typeof globalConfig.logging.level) ?? 'silent';

	// Tests talk to servers on 127.0.0.1, which n8n's SSRF guard blocks when enabled.
	Container.get(SsrfProtectionConfig).enabled = false;

	Container.get(InstanceSettings);

	const binaryDataConfig = Container.get(BinaryDataConfig);
	binaryDataConfig.mode = binaryDataMode;
	binaryDataConfig.localStoragePath = binaryDataDir;
	await Container.get(BinaryDataService).init();

	environment = { rootDir, n8nFolder, binaryDataDir, binaryDataMode };

	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// Last resort if a test file forgets `disposeHarness()`.
		process.once('exit', () => {
			if (environment) rmSync(environment.rootDir, { recursive: true, force: true });
		});
	}
	return environment;
}

/** Switches n8n's binary data mode for subsequent runs (it is a process-wide setting in n8n). */
export async function setBinaryDataMode(mode: BinaryDataMode): Promise<void> {
	const env = await ensureN8nCore(environment?.binaryDataMode ?? mode);
	if (env.binaryDataMode === mode) return;
	Container.get(BinaryDataConfig).mode = mode;
	// BinaryDataService derives its active mode from the config in init().
	await Container.get(BinaryDataService).init();
	env.binaryDataMode = mode;
}

export function getHarnessEnvironment(): HarnessEnvironment {
	if (!environment) throw new Error('n8n harness is not initialised; call ensureN8nCore() first');
	return environment;
}

/** Removes the temp folder (n8n settings + all binary data). Call from `afterAll`. */
export async function disposeHarness(): Promise<void> {
	if (!environment) return;
	rmSync(environment.rootDir, { recursive: true, force: true });
	environment = undefined;
	initPromise = undefined;
	Container.reset();
}
