import type { IDataObject, INodeProperties } from 'n8n-workflow';

export interface BinaryProperties {
	videoProperty: string;
	lastFrameProperty: string;
}

export const binaryPropertyOption: INodeProperties = {
	displayName: 'Put Video in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description: 'The name of the binary field that receives the video',
};

export const lastFrameBinaryPropertyOption: INodeProperties = {
	displayName: 'Put Last Frame in Field',
	name: 'lastFrameBinaryPropertyName',
	type: 'string',
	default: 'lastFrame',
	description: 'The name of the binary field that receives the last frame image, when the job returned one',
};

/** The value of one of the options above: trimmed, and the option's default when empty. */
function propertyName(options: IDataObject, option: INodeProperties): string {
	const value = options[option.name];
	return typeof value === 'string' && value.trim() ? value.trim() : String(option.default);
}

/** Reads the Put Video in Field and Put Last Frame in Field options. */
export function readBinaryProperties(options: IDataObject): BinaryProperties {
	return {
		videoProperty: propertyName(options, binaryPropertyOption),
		lastFrameProperty: propertyName(options, lastFrameBinaryPropertyOption),
	};
}
