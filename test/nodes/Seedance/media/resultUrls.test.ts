import { extractResultUrls } from '../../../../nodes/Seedance/media/resultUrls';

describe('reading the job result, whatever its shape', () => {
	it('reads a bare URL string', () => {
		expect(extractResultUrls('https://cdn.test/v.mp4')).toEqual({ videoUrl: 'https://cdn.test/v.mp4' });
	});

	it('reads the documented object shape', () => {
		expect(extractResultUrls({ videoUrl: 'https://cdn.test/v.mp4' })).toEqual({ videoUrl: 'https://cdn.test/v.mp4' });
	});

	it('finds a last frame under any key naming it', () => {
		for (const key of ['lastFrameUrl', 'last_frame_url', 'lastFrame', 'last_frame']) {
			expect(extractResultUrls({ videoUrl: 'https://cdn.test/v.mp4', [key]: 'https://cdn.test/f.png' })).toEqual({
				videoUrl: 'https://cdn.test/v.mp4',
				lastFrameUrl: 'https://cdn.test/f.png',
			});
		}
	});

	it('falls back to file extensions for unknown keys and nested {url} objects', () => {
		expect(
			extractResultUrls({ clip: { url: 'https://cdn.test/x/clip.mp4?sig=1' }, thumb: 'https://cdn.test/x/end.jpg' }),
		).toEqual({ videoUrl: 'https://cdn.test/x/clip.mp4?sig=1', lastFrameUrl: 'https://cdn.test/x/end.jpg' });
		expect(extractResultUrls({ videos: ['https://cdn.test/a.mp4'] })).toEqual({ videoUrl: 'https://cdn.test/a.mp4' });
	});

	it('returns nothing for an empty result', () => {
		expect(extractResultUrls(null)).toEqual({});
		expect(extractResultUrls({})).toEqual({});
	});
});
