import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Apiframe signs each webhook with HMAC-SHA256 over the raw body bytes. Its SDK keys the HMAC with
 * the raw 32-byte SHA-256 digest of the API key; the docs' wording could also mean the digest's hex
 * string. Both keys are tried, so either reading of the docs verifies.
 */
export function signingKeys(apiKey: string): Buffer[] {
	const digest = createHash('sha256').update(apiKey, 'utf8').digest();
	return [digest, Buffer.from(digest.toString('hex'), 'utf8')];
}

export function sign(rawBody: Buffer, key: Buffer): string {
	return createHmac('sha256', key).update(rawBody).digest('hex');
}

/**
 * True when the header (`sha256=<hex>` or bare hex) matches the body under either signing key.
 * Never true for an empty key: its signing keys are the digest of nothing, which anyone can compute.
 */
export function verifySignature(rawBody: Buffer, header: string | undefined, apiKey: string): boolean {
	if (!apiKey) return false;
	if (!header) return false;
	const hex = header.trim().replace(/^sha256=/i, '');
	if (!/^[0-9a-f]{64}$/i.test(hex)) return false;
	const given = Buffer.from(hex.toLowerCase(), 'hex');
	let matched = false;
	for (const key of signingKeys(apiKey)) {
		const expected = Buffer.from(sign(rawBody, key), 'hex');
		// Every key is compared, so the time taken does not tell which one matched.
		matched = timingSafeEqual(expected, given) || matched;
	}
	return matched;
}
