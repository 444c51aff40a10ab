import { parsePath, uiFieldForPath } from '../../../../nodes/Seedance/base/fieldLabels';

describe('UI field names for request paths', () => {
	it('parses dotted, slashed and bracketed paths', () => {
		expect(parsePath('seedanceParams.reference_image_urls.3')).toEqual(['seedanceParams', 'reference_image_urls', 3]);
		expect(parsePath('/seedanceParams/duration')).toEqual(['seedanceParams', 'duration']);
		expect(parsePath('seedanceParams.reference_video_urls[1]')).toEqual(['seedanceParams', 'reference_video_urls', 1]);
	});

	it('maps Apiframe detail paths to the labels the user sees', () => {
		expect(uiFieldForPath('seedanceParams.duration')).toBe('Video Settings › Duration (Seconds)');
		expect(uiFieldForPath('seedanceParams.reference_image_urls.3')).toBe('Reference Images (entry 4)');
		expect(uiFieldForPath('prompt')).toBe('Prompt');
		expect(uiFieldForPath('webhookUrl')).toBe('Options › Notify Webhook URL');
	});

	it('still names a path it does not know', () => {
		expect(uiFieldForPath('seedanceParams.new_thing')).toBe('request field "seedanceParams.new_thing"');
	});
});
