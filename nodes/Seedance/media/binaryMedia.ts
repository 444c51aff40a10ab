import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { operationError } from '../base/errors';
import { detectMediaType, SUPPORTED_TYPES, UPLOAD_LIMITS, type DetectedType, type MediaKind } from './mediaType';

/** A binary property of an input item, checked and ready to be uploaded for one media field. */
export interface BinaryMedia {
	itemIndex: number;
	field: string;
	property: string;
	binary: IBinaryData;
	size: number;
	type: DetectedType;
}

const HEAD_BYTES = 64;

function formatMb(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function sizeOf(context: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (binary.id) return (await context.helpers.getBinaryMetadata(binary.id)).fileSize;
	return Buffer.from(binary.data, 'base64').length;
}

/** The first bytes only: a file in n8n's filesystem storage is not read further. */
async function headOf(context: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) return Buffer.from(binary.data, 'base64').subarray(0, HEAD_BYTES);
	const stream = await context.helpers.getBinaryStream(binary.id, HEAD_BYTES);
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stream) {
		chunks.push(chunk as Buffer);
		length += (chunk as Buffer).length;
		if (length >= HEAD_BYTES) break;
	}
	stream.destroy();
	return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

/**
 * Checks a binary property against what the field takes: the type read from the bytes, and
 * Apiframe's size limit for that type. Nothing is uploaded yet.
 */
export async function inspectBinaryMedia(
	context: IExecuteFunctions,
	itemIndex: number,
	property: string,
	kind: MediaKind,
	field: string,
): Promise<BinaryMedia> {
	const binary = context.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) {
		throw operationError(context.getNode(), `${field}: the item has no binary field "${property}"`, undefined, { itemIndex });
	}
	const type = detectMediaType(await headOf(context, binary));
	const name = binary.fileName ? ` (${binary.fileName})` : '';
	if (!type || type.kind !== kind) {
		throw operationError(
			context.getNode(),
			`${field}: binary field "${property}"${name} is ${type ? `${type.kind === 'audio' ? 'an' : 'a'} ${type.kind} (${type.mimeType})` : 'not a file type Apiframe takes'}, not ${kind === 'image' ? 'an' : 'a'} ${kind}`,
			`This field takes ${SUPPORTED_TYPES[kind]}; the type is read from the file's content, not its name.`,
			{ itemIndex },
		);
	}
	const size = await sizeOf(context, binary);
	if (size > UPLOAD_LIMITS[kind]) {
		throw operationError(
			context.getNode(),
			`${field}: binary field "${property}"${name} is ${formatMb(size)}, over Apiframe's ${formatMb(UPLOAD_LIMITS[kind])} limit for ${kind} files`,
			'Compress or shorten the file, or host it yourself and give its URL instead.',
			{ itemIndex },
		);
	}
	return { itemIndex, field, property, binary, size, type };
}
