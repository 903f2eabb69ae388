import { createServer, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { RequestAdmission } from '../admission';
import { closeWithin } from '../graceful-close';
import type { BoundAddress, Host, HostContext } from '../host';
import { bindServer } from '../listen';
import { PorticoRequestHandler } from './request-handler';

/**
 * HTTP/1.1 (and 1.0) on raw `node:net` sockets, or `node:tls` ones: Portico's own request parser
 * and response writer, selected with `http1: 'portico'`. It behaves as the `node:http` host does
 * (keep-alive, pipelining, the same limits, timeouts, answers and log lines) and drives the same
 * `HttpCycle` through the same `RequestAdmission`; it leaves out the `IncomingMessage` and
 * `ServerResponse` objects a request costs on `node:http`.
 */
export class PorticoHttp1Host implements Host {
  readonly scheme: 'http' | 'https';
  readonly #context: HostContext;
  readonly #server: NetServer;
  readonly #admission: RequestAdmission;
  readonly #requests: PorticoRequestHandler;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    this.scheme = config.tls === null ? 'http' : 'https';
    this.#admission = new RequestAdmission(context);
    this.#requests = new PorticoRequestHandler(context, this.#admission, this.scheme);
    // Half-open kept, as node:http keeps it, so a request cut short by the client's end still gets its 400.
    const options = { allowHalfOpen: true, noDelay: true };
    if (config.tls === null) {
      this.#server = createServer(options, this.#requests.accept);
    } else {
      // ALPN says http/1.1, as Node's HTTPS server does.
      this.#server = createTlsServer({ ...options, ...config.tls, ALPNProtocols: ['http/1.1'] }, this.#requests.accept);
      this.#server.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
    }
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
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Upgraded sockets are no longer HTTP connections: they close with 1001 on their own.
    const websocketsClosed = this.#requests.stop(gracefulMs);
    await closeWithin(closed, gracefulMs, () => this.#requests.cutAll(), this.#context.logger, () => this.#admission.running);
    await websocketsClosed;
    this.#requests.closed();
  }
}
