import { createServer as createHttpServer, ServerResponse, type IncomingMessage, type Server as HttpServer, type ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { gatewayInfo, type Extensions, type HttpScope } from '@portico/protocol';
import { AccessLog } from '../access-log';
import { HttpCycle, type CycleSettings } from '../cycle/http-cycle';
import { plainResponse } from '../cycle/plain-response';
import type { BoundAddress, Host, HostContext } from '../host';
import { bindServer } from '../listen';
import { applyProxyHeaders, TrustedProxies } from '../proxy-headers';
import { headerList, parseTarget } from '../scope';
import { wantsWebSocket } from '../websocket/handshake';
import { WebSocketUpgrades } from '../websocket/websocket-upgrades';
import { clientErrorAnswer } from './client-errors';
import { Http1Transport, type Http1TransportSettings } from './http1-transport';

/** What this host implements, shared by every scope it builds. */
const EXTENSIONS: Extensions = Object.freeze({
  'http.response.trailers': Object.freeze({}),
  'http.response.pathsend': Object.freeze({}),
  'http.response.early_hint': Object.freeze({}),
});

/**
 * HTTP/1.1 (and 1.0) on Node's `node:http`, or `node:https` with TLS: keep-alive, pipelining and
 * request parsing are Node's (llhttp, strict mode); each request becomes an `HttpCycle` over an
 * `Http1Transport`. Limits: `maxHeaderSize` (431), `timeoutHeaders` (408, slowloris),
 * `timeoutKeepAlive`, `limitConcurrency` (503), `limitMaxRequests`.
 */
export class Http1Host implements Host, Http1TransportSettings {
  readonly scheme: 'http' | 'https';
  readonly #context: HostContext;
  readonly #server: HttpServer;
  readonly #cycleSettings: CycleSettings;
  readonly #trusted: TrustedProxies | null;
  /** The WebSocket side; null with `ws: 'none'` (upgrade requests are then plain HTTP requests). */
  readonly #upgrades: WebSocketUpgrades | null;
  /** The last request seen on each connection, to answer a parse error that interrupts it. */
  readonly #lastRequest = new WeakMap<Socket, Http1Transport>();
  #active = 0;
  #accepted = 0;
  #closing = false;
  #unixPath: string | null = null;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    this.scheme = config.tls === null ? 'http' : 'https';
    this.#cycleSettings = {
      logger,
      accessLog: config.accessLog && logger.enabled('info') ? new AccessLog(logger) : null,
      maxBodySize: config.maxBodySize,
    };
    this.#trusted = config.proxyHeaders ? new TrustedProxies(config.forwardedAllowIps) : null;
    const headersTimeout = Math.round(config.timeoutHeaders * 1000);
    const options: ServerOptions = {
      maxHeaderSize: config.maxHeaderSize,
      keepAliveTimeout: Math.round(config.timeoutKeepAlive * 1000),
      headersTimeout,
      requestTimeout: Math.max(300_000, headersTimeout),
      // Node checks the timeouts on this period; keep it well under the headers timeout.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.round(headersTimeout / 4))),
      insecureHTTPParser: false,
      joinDuplicateHeaders: false,
    };
    this.#server = config.tls === null ? createHttpServer(options) : createHttpsServer({ ...options, ...config.tls });
    this.#server.on('request', this.#onRequest);
    this.#server.on('checkContinue', this.#onCheckContinue);
    this.#server.on('clientError', this.#onClientError);
    this.#upgrades = config.ws === 'none' ? null : new WebSocketUpgrades(context);
    if (this.#upgrades !== null) this.#server.on('upgrade', this.#onUpgrade);
    this.#server.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
  }

  get serverHeader(): boolean {
    return this.#context.config.serverHeader;
  }
  get dateHeader(): boolean {
    return this.#context.config.dateHeader;
  }
  get closing(): boolean {
    return this.#closing;
  }

  responseClosed(socket: Socket): void {
    // Shutting down: end the connection once its response is out. Only this one: a connection
    // accepted a moment ago (the accept backlog, a cluster hand-off) still gets its answer.
    if (this.#closing && !socket.destroyed) socket.end();
  }

  async listen(): Promise<BoundAddress> {
    const address = await bindServer(this.#server, this.#context.config);
    this.#server.on('error', (error) => this.#context.logger.error('Server error', error));
    if (address.kind === 'unix') this.#unixPath = address.path;
    return address;
  }

  async close(gracefulMs: number): Promise<void> {
    if (!this.#server.listening) return;
    this.#closing = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    // Upgraded sockets are no longer Node's HTTP connections: they close with 1001 on their own.
    const websocketsClosed = this.#upgrades?.close(gracefulMs);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, gracefulMs, true)));
    if (await Promise.race([closed.then(() => false), timedOut])) {
      this.#context.logger.warning(
        `Graceful shutdown timed out after ${gracefulMs / 1000} s; closing ${this.#active} request(s) still running.`,
      );
      this.#server.closeAllConnections();
    }
    clearTimeout(timer);
    await Promise.all([closed, websocketsClosed]);
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, false);
  };

  readonly #onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    if (wantsWebSocket(req)) {
      (this.#upgrades as WebSocketUpgrades).handle(req, socket, head, { scheme: this.scheme, unixPath: this.#unixPath, trusted: this.#trusted });
      return;
    }
    // Another protocol (h2c, ...) is not offered: answer the plain HTTP request it also is, then close.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.end());
    this.#handle(req, res, false);
  };

  readonly #onCheckContinue = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, true);
  };

  #handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
    const socket = req.socket;
    const transport = new Http1Transport(req, res, expectsContinue, this);
    this.#lastRequest.set(socket, transport);
    const target = req.httpVersionMajor === 1 ? parseTarget(req.url as string) : null;
    if (target === null) {
      // HTTP/0.9 request lines and undecodable paths never reach the app.
      this.#context.logger.warning(`Invalid HTTP request received from ${peer(socket)}: bad request target or version`);
      plainResponse(transport, 400, req.method ?? 'GET');
      return;
    }
    const { config } = this.#context;
    const scope: HttpScope = {
      type: 'http',
      gateway: gatewayInfo,
      httpVersion: req.httpVersionMinor === 0 ? '1.0' : '1.1',
      method: req.method as string,
      scheme: this.scheme,
      path: target.path,
      rawPath: target.rawPath,
      queryString: target.queryString,
      rootPath: config.rootPath,
      headers: headerList(req.rawHeaders),
      client: socket.remoteAddress === undefined ? null : { host: socket.remoteAddress, port: socket.remotePort ?? 0 },
      server: this.#unixPath === null ? { host: socket.localAddress ?? '', port: socket.localPort ?? 0 } : { host: this.#unixPath, port: 0 },
      state: { ...this.#context.state },
      extensions: EXTENSIONS,
    };
    if (this.#trusted !== null) applyProxyHeaders(scope, socket.remoteAddress, this.#trusted);
    const cycle = new HttpCycle(scope, transport, this.#cycleSettings);
    if (config.limitConcurrency !== undefined && this.#active >= config.limitConcurrency) {
      cycle.reject(503);
      return;
    }
    this.#active++;
    void cycle.run(this.#context.app).then(this.#onCycleDone);
    if (config.limitMaxRequests !== undefined && ++this.#accepted === config.limitMaxRequests) {
      this.#context.logger.warning(`Maximum request limit of ${config.limitMaxRequests} reached.`);
      this.#context.onRequestLimit();
    }
  }

  readonly #onCycleDone = (): void => {
    this.#active--;
  };

  readonly #onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const { response, warn } = clientErrorAnswer(error);
    const logger = this.#context.logger;
    if (warn) logger.warning(`Invalid HTTP request received from ${peer(socket)}: ${error.message} (${error.code})`);
    else logger.debug(`Connection from ${peer(socket)} closed: ${error.message} (${error.code ?? 'no code'})`);
    const last = this.#lastRequest.get(socket);
    // Answer only when no response bytes of an earlier request are on the wire (as Node does).
    const answerable = last === undefined || last.finished || last.answerable;
    last?.reject();
    if (response !== null && socket.writable && answerable) socket.write(response);
    socket.destroy();
  };
}

function peer(socket: Socket): string {
  return socket.remoteAddress === undefined ? 'a unix socket peer' : `${socket.remoteAddress}:${socket.remotePort}`;
}
