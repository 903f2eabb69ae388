import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { RequestAdmission } from '../admission';
import { closeWithin } from '../graceful-close';
import type { BoundAddress, Host, HostContext } from '../host';
import { bindServer } from '../listen';
import { Http1RequestHandler, http1ServerOptions } from './request-handler';

/**
 * HTTP/1.1 (and 1.0) on Node's `node:http`, or `node:https` with TLS: keep-alive, pipelining and
 * request parsing are Node's (llhttp, strict mode); each request becomes an `HttpCycle` over an
 * `Http1Transport` (`Http1RequestHandler`). Limits: `maxHeaderSize` (431), `timeoutHeaders` (408,
 * slowloris), `timeoutKeepAlive`, `limitConcurrency` (503), `limitMaxRequests`.
 */
export class Http1Host implements Host {
  readonly scheme: 'http' | 'https';
  readonly #context: HostContext;
  readonly #server: HttpServer;
  readonly #admission: RequestAdmission;
  readonly #requests: Http1RequestHandler;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    this.scheme = config.tls === null ? 'http' : 'https';
    this.#admission = new RequestAdmission(context);
    const options = http1ServerOptions(config);
    this.#server = config.tls === null ? createHttpServer(options) : createHttpsServer({ ...options, ...config.tls });
    this.#requests = new Http1RequestHandler(this.#server, context, this.#admission, this.scheme);
    this.#server.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
  }

  async listen(): Promise<BoundAddress> {
    const address = await bindServer(this.#server, this.#context.config);
    this.#server.on('error', (error) => this.#context.logger.error('Server error', error));
    this.#requests.boundTo(address);
    return address;
  }

  async close(gracefulMs: number): Promise<void> {
    const server = this.#server;
    if (!server.listening) return;
    // Upgraded sockets are no longer Node's HTTP connections: they close with 1001 on their own.
    const websocketsClosed = this.#requests.stop(gracefulMs);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closeWithin(closed, gracefulMs, () => server.closeAllConnections(), this.#context.logger, () => this.#admission.running);
    await websocketsClosed;
  }
}
