// @ts-check
import net from 'node:net';
import { freePort } from '../n8n/process.mjs';

/**
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<boolean>}
 */
export function isPortFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
	});
}

/**
 * The preferred port when it is free, otherwise any free one; `moved` says which happened.
 * @param {number} preferred
 */
export async function pickPort(preferred) {
	if (await isPortFree(preferred)) return { port: preferred, moved: false };
	return { port: await freePort(), moved: true };
}
