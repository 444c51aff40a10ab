import { createHash, createHmac } from 'node:crypto';

import { verifySignature } from '../../../../nodes/Seedance/webhooks/signature';

const apiKey = 'afk_test_key';
const body = Buffer.from('{"event":"completed","jobId":"j1"}');

function signWith(key: Buffer | string, raw = body) {
	return createHmac('sha256', key).update(raw).digest('hex');
}

const digestKey = createHash('sha256').update(apiKey).digest();
const hexKey = digestKey.toString('hex');

describe('webhook signature', () => {
	it('accepts the SDK form: raw digest key, with or without the sha256= prefix', () => {
		expect(verifySignature(body, `sha256=${signWith(digestKey)}`, apiKey)).toBe(true);
		expect(verifySignature(body, signWith(digestKey), apiKey)).toBe(true);
		expect(verifySignature(body, `SHA256=${signWith(digestKey).toUpperCase()}`, apiKey)).toBe(true);
	});

	it("accepts the docs' other reading: the digest's hex string as key", () => {
		expect(verifySignature(body, `sha256=${signWith(hexKey)}`, apiKey)).toBe(true);
	});

	it('rejects a tampered body, a wrong key, a missing or malformed header', () => {
		const good = `sha256=${signWith(digestKey)}`;
		expect(verifySignature(Buffer.from(body.toString().replace('j1', 'j2')), good, apiKey)).toBe(false);
		expect(verifySignature(body, good, 'afk_other_key')).toBe(false);
		expect(verifySignature(body, undefined, apiKey)).toBe(false);
		expect(verifySignature(body, 'sha256=abc', apiKey)).toBe(false);
		expect(verifySignature(body, `sha256=${signWith(apiKey)}`, apiKey)).toBe(false);
	});

	it('refuses an empty key, whose signing key anyone can compute', () => {
		const emptyDigest = createHash('sha256').update('').digest();
		expect(verifySignature(body, `sha256=${signWith(emptyDigest)}`, '')).toBe(false);
		expect(verifySignature(body, `sha256=${signWith(Buffer.from(emptyDigest.toString('hex')))}`, '')).toBe(false);
	});
});
