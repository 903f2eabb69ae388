import { ServerResponse, type IncomingMessage, type Server as HttpServer, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { nodeRequestScope, type NodeScopeContext } from '../adapters/node-scope';
import type { RequestAdmission } from '../admission';
import type { ServerConfig } from '../config';
import { plainResponse } from '../cycle/plain-response';
import { NODE_HTTP_EXTENSIONS } from '../extensions';
import type { BoundAddress, HostContext } from '../host';
import { applyProxyHeaders, trustedProxies, type TrustedProxies } from '../proxy-headers';
import { parseTarget } from '../scope';
import { peer } from '../socket-addresses';
import { wantsWebSocket } from '../websocket/handshake';
import { WebSocketUpgrades, type UpgradeOrigin } from '../websocket/websocket-upgrades';
import { clientErrorAnswer } from './client-errors';
import { headProblem } from './head-problem';
import { keepAliveMs } from './host-fields';
import { Http1Connection } from './http1-connection';
import { Http1Transport, type Http1TransportSettings } from './http1-transport';

/** Where requests arrive, for their scopes and WebSocket upgrades; `unixPath` is known once bound. */
interface Origin extends NodeScopeContext, UpgradeOrigin {
  unixPath: string | null;
}

/**
 * The settings of Node's HTTP/1.1 connection code (llhttp in strict mode): header size (431) and
 * timeouts (408 for slow headers, keep-alive).
 */
export function http1ServerOptions(config: ServerConfig): ServerOptions {
  const headersTimeout = Math.round(config.timeoutHeaders * 1000);
  return {
    maxHeaderSize: config.maxHeaderSize,
    keepAliveTimeout: keepAliveMs(config),
    headersTimeout,
    requestTimeout: Math.max(300_000, headersTimeout),
    // Node checks the timeouts on this period; keep it well under the headers timeout.
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.round(headersTimeout / 4))),
    // Checked by the handler instead, so that a request without Host gets the same 400 and log line as other bad requests.
    requireHostHeader: false,
    insecureHTTPParser: false,
    joinDuplicateHeaders: false,
  };
}

/**
 * What happens to the HTTP/1.1 requests Node's parser hands a server (the HTTP/1.1 host's, or the
 * HTTP/1.1 side of an HTTP/2 host's TLS port): each becomes an `HttpCycle` over an `Http1Transport`,
 * admitted by the host's `RequestAdmission`; `Upgrade: websocket` goes to `WebSocketUpgrades`, other
 * upgrades are answered as plain requests, and parse errors get their 400/408/413/431.
 *
 * @example
 * const requests = new Http1RequestHandler(server, context, new RequestAdmission(context), 'http');
 */
export class Http1RequestHandler implements Http1TransportSettings {
  readonly #context: HostContext;
  readonly #admission: RequestAdmission;
  readonly #origin: Origin;
  /** Node's server creates each `res`; nothing sets headers on it before the app answers. */
  readonly presetHeaders = false;
  /** The WebSocket side; null with `ws: 'none'` (upgrade requests are then plain HTTP requests). */
  readonly #upgrades: WebSocketUpgrades | null;
  /** Open HTTP/1.1 connections, to close the ones that never sent a byte on shutdown. */
  readonly #connections = new Set<Http1Connection>();
  readonly #trusted: TrustedProxies | null;
  #closing = false;
  /** Connections whose request the host refused with a 400 (llhttp may already have parsed the next one). */
  readonly #refused = new WeakSet<Socket>();

  /** `server` emits Node's HTTP/1.1 server events; with TLS, connections are its secure ones. */
  constructor(server: HttpServer, context: HostContext, admission: RequestAdmission, scheme: 'http' | 'https') {
    // Node keeps only the first ~1000 fields and drops the rest unseen; maxHeaderSize (431) bounds the head instead.
    server.maxHeadersCount = 0;
    this.#context = context;
    this.#admission = admission;
    const { config } = context;
    this.#trusted = trustedProxies(config);
    this.#origin = {
      scheme,
      rootPath: config.rootPath,
      state: context.state,
      extensions: NODE_HTTP_EXTENSIONS,
      unixPath: null,
      trusted: this.#trusted,
    };
    server.on('request', this.#onRequest);
    server.on('checkContinue', this.#onCheckContinue);
    server.on('clientError', this.#onClientError);
    server.on(scheme === 'https' ? 'secureConnection' : 'connection', this.#onConnection);
    this.#upgrades = config.ws === 'none' ? null : new WebSocketUpgrades(context, admission);
    if (this.#upgrades !== null) server.on('upgrade', this.#onUpgrade);
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

  /** The server is bound: on a Unix socket, scopes name its path as `server`. */
  boundTo(address: BoundAddress): void {
    if (address.kind === 'unix') this.#origin.unixPath = address.path;
  }

  /**
   * The host is shutting down: each connection ends after its current response, WebSockets close
   * with 1001. Resolves when the WebSockets are closed.
   */
  async stop(gracefulMs: number): Promise<void> {
    this.#closing = true;
    for (const connection of this.#connections) {
      const socket = connection.socket;
      // Node counts a connection that has not sent a byte as busy (so its headers timeout applies),
      // and stops checking that timeout on close: a client's spare connection (undici opens one
      // when a fetch is aborted) would hold the shutdown for the whole grace period. Nothing on it
      // can be lost, so it goes now, like the idle keep-alive ones.
      if (socket.bytesRead === 0) socket.destroy();
      // A response whose head went out before the shutdown said keep-alive: end its connection
      // once it is out. (Later heads say `connection: close`, and Node ends those itself.)
      else connection.afterOpenResponses(() => {
        if (!socket.destroyed) socket.end();
      });
    }
    await this.#upgrades?.close(gracefulMs);
  }

  readonly #onConnection = (socket: Socket): void => {
    // On an HTTP/2 host's TLS port, h2 connections are its sessions' business.
    if ((socket as Partial<TLSSocket>).alpnProtocol === 'h2') return;
    const connection = Http1Connection.of(socket);
    this.#connections.add(connection);
    socket.once('close', () => this.#connections.delete(connection));
  };

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, false);
  };

  readonly #onCheckContinue = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, true);
  };

  readonly #onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    if (wantsWebSocket(req)) {
      (this.#upgrades as WebSocketUpgrades).handle(req, socket, head, this.#origin);
      return;
    }
    // Another protocol (h2c, ...) is not offered: answer the plain HTTP request it also is, then close.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.once('finish', () => socket.end());
    this.#handle(req, res, false);
  };

  #handle(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): void {
    const socket = req.socket;
    // Pipelined behind a request the host refused: that 400 closes the connection, so this is never run (RFC 9112 9.6).
    if (this.#refused.has(socket)) return;
    const transport = new Http1Transport(req, res, expectsContinue, this, Http1Connection.of(socket));
    const target = req.httpVersionMajor === 1 ? parseTarget(req.url as string) : null;
    const scope = target === null ? null : nodeRequestScope(req, target, this.#origin);
    // HTTP/0.9 request lines, undecodable paths and the heads headProblem finds never reach the app.
    const problem = scope === null ? 'bad request target or version' : headProblem(req.httpVersionMinor, scope.headers);
    if (scope === null || problem !== null) {
      this.#context.logger.warning(`Invalid HTTP request received from ${peer(socket)}: ${problem}`);
      plainResponse(transport, 400, req.method ?? 'GET');
      this.#refused.add(socket);
      return;
    }
    if (this.#trusted !== null) applyProxyHeaders(scope, scope.client?.host, this.#trusted);
    this.#admission.admit(scope, transport);
  }

  readonly #onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const logger = this.#context.logger;
    if (error.code === 'HPE_CLOSED_CONNECTION') {
      // Bytes after a request that said `Connection: close` (RFC 9112 9.6): that request is still
      // answered, then Node ends the connection; the rest is never read, so nothing is smuggled.
      logger.debug(`Ignored data after 'Connection: close' from ${peer(socket)}`);
      const open = Http1Connection.of(socket).last;
      if (open === null || open.finished) socket.destroy();
      return;
    }
    const { response, warn } = clientErrorAnswer(error);
    if (warn) logger.warning(`Invalid HTTP request received from ${peer(socket)}: ${error.message} (${error.code})`);
    else logger.debug(`Connection from ${peer(socket)} closed: ${error.message} (${error.code ?? 'no code'})`);
    const last = Http1Connection.of(socket).last;
    // Answer only when no response bytes of an earlier request are on the wire (as Node does).
    const answerable = last === null || last.finished || last.answerable;
    last?.leave();
    if (response !== null && socket.writable && answerable) socket.write(response);
    socket.destroy();
  };
}
