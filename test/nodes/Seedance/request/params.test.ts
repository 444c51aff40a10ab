import { expandUrls } from '../../../../nodes/Seedance/request/params';

describe('reference URL lists', () => {
	it('accepts lists, URLs per line and comma-separated URLs', () => {
		expect(expandUrls([['https://a.test/1.png', 'https://a.test/2.png']])).toEqual(['https://a.test/1.png', 'https://a.test/2.png']);
		expect(expandUrls(['https://a.test/1.png\nhttps://a.test/2.png'])).toEqual(['https://a.test/1.png', 'https://a.test/2.png']);
		expect(expandUrls(['https://a.test/1.png, asset://x'])).toEqual(['https://a.test/1.png', 'asset://x']);
	});

	it('keeps commas inside a URL and drops empty entries', () => {
		expect(expandUrls(['https://a.test/img?size=1,2', '', null, undefined])).toEqual(['https://a.test/img?size=1,2']);
	});
});
