export { runNode, startNode, type RunNodeOptions, type RunNodeResult, type RunningNode } from './run-node';
export { testCredential, type TestCredentialOptions } from './credential-test';
export {
	runWebhook,
	startWebhook,
	WebhookHarness,
	type WebhookCall,
	type WebhookHarnessOptions,
	type WebhookRequestSpec,
	type WebhookResponse,
} from './webhook';
export {
	binaryFilePath,
	binaryStream,
	deleteExecutionBinaryData,
	readBinary,
	storeBinary,
	HARNESS_WORKFLOW_ID,
} from './binary';
export {
	disposeHarness,
	ensureN8nCore,
	getHarnessEnvironment,
	setBinaryDataMode,
	type BinaryDataMode,
	type HarnessEnvironment,
} from './env';
export { HarnessCredentialsHelper } from './credentials-helper';
export { HarnessNodeTypes } from './node-types';
export type { NodeUnderTestOptions } from './workflow';
