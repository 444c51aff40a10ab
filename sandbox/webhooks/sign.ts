import { createHash, createHmac } from 'node:crypto';
import type { WebhookSigningKeyMode } from '../options';

/** API-NOTES: the SDK keys the HMAC with the raw digest; the docs' wording could mean its hex string. */
export function webhookSigningKey(apiKey: string, mode: WebhookSigningKeyMode = 'digest'): Buffer | string {
	const digest = createHash('sha256').update(apiKey, 'utf8').digest();
	return mode === 'digest' ? digest : digest.toString('hex');
}

/** `sha256=<hex HMAC-SHA256 of the raw body bytes>` */
export function signWebhookBody(rawBody: string | Buffer, apiKey: string, mode: WebhookSigningKeyMode = 'digest'): string {
	return `sha256=${createHmac('sha256', webhookSigningKey(apiKey, mode)).update(rawBody).digest('hex')}`;
}
