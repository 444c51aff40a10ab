import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { BINARY_ENCODING, fileTypeFromMimeType } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { ensureN8nCore } from './env';

export const HARNESS_WORKFLOW_ID = 'harness-workflow';

/** Reads binary data the way nodes do (`helpers.getBinaryDataBuffer` -> BinaryDataService). */
export async function readBinary(binaryData: IBinaryData): Promise<Buffer> {
	await ensureN8nCore();
	return await Container.get(BinaryDataService).getAsBuffer(binaryData);
}

/**
 * A stream over stored binary data (`helpers.getBinaryStream`); for in-memory
 * (base64) data a stream over the decoded bytes.
 */
export async function binaryStream(binaryData: IBinaryData, chunkSize?: number): Promise<Readable> {
	await ensureN8nCore();
	if (binaryData.id) return await Container.get(BinaryDataService).getAsStream(binaryData.id, chunkSize);
	return Readable.from([Buffer.from(binaryData.data, BINARY_ENCODING)]);
}

/**
 * Absolute path of a filesystem-mode file (`helpers.getBinaryPath`), or undefined for
 * data kept in memory (no `id`).
 */
export function binaryFilePath(binaryData: IBinaryData): string | undefined {
	if (!binaryData.id) return undefined;
	return Container.get(BinaryDataService).getPath(binaryData.id);
}

/**
 * Stores bytes through the BinaryDataService (as `helpers.prepareBinaryData` does) so a
 * test can feed binary input items that live where n8n would keep them.
 */
export async function storeBinary(
	data: Buffer | Readable,
	options: { fileName?: string; mimeType?: string; executionId?: string; workflowId?: string } = {},
): Promise<IBinaryData> {
	await ensureN8nCore();
	const mimeType = options.mimeType ?? 'application/octet-stream';
	const binaryData: IBinaryData = {
		data: '',
		mimeType,
		fileType: fileTypeFromMimeType(mimeType),
		...(options.fileName ? { fileName: options.fileName } : {}),
	};
	const extension = options.fileName?.includes('.') ? options.fileName.split('.').pop() : undefined;
	if (extension) binaryData.fileExtension = extension;
	return await Container.get(BinaryDataService).store(
		{
			type: 'execution',
			workflowId: options.workflowId ?? HARNESS_WORKFLOW_ID,
			executionId: options.executionId ?? 'harness-input',
		},
		data,
		binaryData,
	);
}

/** Deletes the binary files n8n stored for one execution (what n8n's pruning does). */
export async function deleteExecutionBinaryData(executionId: string, workflowId = HARNESS_WORKFLOW_ID) {
	await Container.get(BinaryDataService).deleteMany([{ type: 'execution', workflowId, executionId }]);
}
