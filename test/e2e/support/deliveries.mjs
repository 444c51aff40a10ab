// @ts-check
// Apiframe's deliveries as the tests and benches post them to a Seedance Trigger: signed as
// Apiframe signs (HMAC-SHA256 of the raw body, keyed with the raw SHA-256 digest of the API key).

import crypto from 'node:crypto';

/**
 * The X-Webhook-Signature header for a raw body.
 * @param {string} rawBody
 * @param {string} apiKey
 */
export const signDelivery = (rawBody, apiKey) =>
	`sha256=${crypto.createHmac('sha256', crypto.createHash('sha256').update(apiKey).digest()).update(rawBody).digest('hex')}`;

/**
 * A completed-job event as Apiframe sends it (sandbox/webhooks/payloads.ts), for a made-up job.
 * @param {string} [jobId]
 */
export function completedEvent(jobId = crypto.randomUUID()) {
	return {
		event: 'completed',
		jobId,
		status: 'COMPLETED',
		progress: 100,
		result: { videoUrl: `http://127.0.0.1:9/v2/jobs/${jobId}/video.mp4` },
		model: 'seedance-2',
		creditCost: 100,
		completedAt: new Date().toISOString(),
	};
}
