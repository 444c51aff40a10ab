import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { operationError } from '../../../base/errors';
import { inspectBinaryMedia } from '../../../media/binaryMedia';
import type { MediaKind } from '../../../media/mediaType';
import { isHttpUrl } from '../../../schemas/mediaUrl';
import { createAsset } from '../../../transport/apiframe';
import { uploadBinaryMedia } from '../../../transport/upload';
import { executePerItem } from '../itemRunner';

const properties: INodeProperties[] = [
	{
		displayName: 'Media',
		name: 'media',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/face.png or data',
		description:
			'A public URL, or the name of a binary field of the input item (uploaded to Apiframe first)',
	},
	{
		displayName: 'Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Image', value: 'image' },
			{ name: 'Video', value: 'video' },
		],
		default: 'image',
		description: 'What kind of media it is',
	},
];

const displayOptions = { show: { resource: ['asset'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Registers media with the upstream provider (`POST /v2/assets/create`), for media that Seedance
 * wants pre-registered; the result's `assetUri` goes into any media field of Generate.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const signal = this.getExecutionCancelSignal?.();
	return await executePerItem(this, async (itemIndex) => {
		const media = String(this.getNodeParameter('media', itemIndex, '') ?? '').trim();
		const type = this.getNodeParameter('mediaType', itemIndex) as MediaKind;
		let url = media;
		if (!isHttpUrl(media)) {
			if (!items[itemIndex].binary?.[media]) {
				throw operationError(
					this.getNode(),
					`Media "${media}" is neither a URL nor a binary field of this item`,
					'Give a public http(s) URL, or the name of a binary field such as data.',
					{ itemIndex },
				);
			}
			const binary = await inspectBinaryMedia(this, itemIndex, media, type, 'Media');
			url = (await uploadBinaryMedia.call(this, binary, signal)).url;
		}
		const created = await createAsset.call(this, { url, type }, itemIndex, signal);
		return { assetId: created.assetId, assetUri: `asset://${created.assetId}`, url, type };
	});
}
