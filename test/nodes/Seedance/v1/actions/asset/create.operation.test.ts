import type { Sandbox } from '../../../../../../sandbox';
import {
	generateParameters,
	itemWithFiles as item,
	prompts,
	requestsTo,
	runSeedance,
	sandboxAsset,
	useSandbox,
} from '../../../fixtures';

const sandboxOf = useSandbox();
let sandbox: Sandbox;
beforeEach(() => {
	sandbox = sandboxOf();
});

const MP4 = sandboxAsset('sample.mp4');

describe('Asset → Create', () => {
	it('registers a URL or a binary field, and Generate accepts the asset URI', async () => {
		const fromUrl = await runSeedance(sandbox, { resource: 'asset', operation: 'create', media: 'https://example.com/face.png', mediaType: 'image' });
		expect(fromUrl.items[0].json).toMatchObject({ assetId: expect.any(String), assetUri: expect.stringMatching(/^asset:\/\//), type: 'image' });

		const fromBinary = await runSeedance(
			sandbox,
			{ resource: 'asset', operation: 'create', media: 'clip', mediaType: 'video' },
			{ inputItems: [await item({}, { clip: [MP4, 'clip.mp4'] })] },
		);
		expect(fromBinary.error).toBeUndefined();
		const [upload] = requestsTo(sandbox, 'POST', /^\/v2\/uploads$/);
		const registered = requestsTo(sandbox, 'POST', /^\/v2\/assets\/create$/);
		expect(registered[1].body).toEqual({ url: expect.stringContaining('/uploads/'), type: 'video' });
		expect(upload.status).toBe(201);

		const generated = await runSeedance(
			sandbox,
			generateParameters({
				inputMode: 'reference',
				referenceImages: { entries: [{ url: fromUrl.items[0].json.assetUri as string }] },
				waitForCompletion: false,
			}),
			{ inputItems: prompts('with an asset') },
		);
		expect(generated.error).toBeUndefined();
		expect(requestsTo(sandbox, 'POST', /^\/v2\/videos\/generate$/)[0].status).toBe(202);
	});

	it('names a value that is neither a URL nor a binary field', async () => {
		const result = await runSeedance(sandbox, { resource: 'asset', operation: 'create', media: 'nothing', mediaType: 'image' });
		expect(result.error?.message).toBe('Media "nothing" is neither a URL nor a binary field of this item');
		expect(requestsTo(sandbox, 'POST', /^\/v2\//)).toHaveLength(0);
	});
});
