import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
}

/**
 * A real HTTP server on a loopback address of its own, answering every request with `respond`
 * and recording what it was sent: a stand-in for hosts other than Apiframe (a redirect target, a
 * result host, an internal service).
 */
export class StandInHost {
	readonly requests: SeenRequest[] = [];

	private readonly server: Server;

	constructor(
		private readonly address: string,
		respond: (request: IncomingMessage, response: ServerResponse, host: StandInHost) => void,
	) {
		this.server = createServer((request, response) => {
			this.requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
			respond(request, response, this);
		});
	}

	async start(): Promise<this> {
		await new Promise<void>((resolve) => this.server.listen(0, this.address, resolve));
		return this;
	}

	get origin(): string {
		return `http://${this.address}:${(this.server.address() as AddressInfo).port}`;
	}

	/** host:port, as a Location's host is named. */
	get host(): string {
		return `${this.address}:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}
}

/** Answers 200 {"ok":true} to anything, after reading the request. */
export function answerOk(request: IncomingMessage, response: ServerResponse): void {
	request.resume();
	response.writeHead(200, { 'content-type': 'application/json' });
	response.end('{"ok":true}');
}
