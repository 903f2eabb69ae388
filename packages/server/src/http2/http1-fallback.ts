import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import type { Socket } from 'node:net';
import { HttpCycle } from '../cycle/http-cycle';
import { plainResponse } from '../cycle/plain-response';
import type { HostContext } from '../host';
import { nodeRequestScope, type NodeScopeContext } from '../adapters/node-scope';
import { clientErrorAnswer } from '../http1/client-errors';
import { Http1Transport, type Http1TransportSettings } from '../http1/http1-transport';
import { applyProxyHeaders } from '../proxy-headers';
import { parseTarget } from '../scope';
import { wantsWebSocket } from '../websocket/handshake';
import { WebSocketUpgrades, type UpgradeOrigin } from '../websocket/websocket-upgrades';
import type { RequestAdmission } from './http2-host';

type Http1Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The HTTP/1.1 side of a TLS port that offers `h2` and `http/1.1` by ALPN. Node's secure HTTP/2
 * server (`allowHTTP1`) hands such connections to its HTTP/1.1 parser; this turns each request into
 * an `HttpCycle` over the same `Http1Transport` the HTTP/1.1 host uses, admitted by the HTTP/2 host
 * so both protocols share one `limitConcurrency` and `limitMaxRequests`; WebSocket upgrades go to
 * the same `WebSocketUpgrades` as on the HTTP/1.1 host.
 */
export class Http1Fallback implements Http1TransportSettings {
  readonly #context: HostContext;
  readonly #scopeContext: NodeScopeContext;
  readonly #admission: RequestAdmission;
  /** The last request seen on each connection, to answer a parse error that interrupts it. */
  readonly #lastRequest = new WeakMap<Socket, Http1Transport>();
  /** `wss:` on the same port, as the HTTP/1.1 host serves it; null with `ws: 'none'`. */
  readonly #upgrades: WebSocketUpgrades | null;
  readonly #origin: UpgradeOrigin;
  #closing = false;

  constructor(server: Http2SecureServer, context: HostContext, scopeContext: NodeScopeContext, admission: RequestAdmission) {
    this.#context = context;
    this.#scopeContext = scopeContext;
    this.#admission = admission;
    const { config } = context;
    const headersTimeout = Math.round(config.timeoutHeaders * 1000);
    // Node's HTTP/1.1 connection code reads its settings from the server it runs on; an HTTP/2
    // server has none of its own, so they are set here as the HTTP/1.1 host sets them.
    Object.assign(server, {
      maxHeaderSize: config.maxHeaderSize,
      keepAliveTimeout: Math.round(config.timeoutKeepAlive * 1000),
      headersTimeout,
      requestTimeout: Math.max(300_000, headersTimeout),
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.round(headersTimeout / 4))),
      requireHostHeader: true,
      insecureHTTPParser: false,
      joinDuplicateHeaders: false,
    });
    // A 'request' listener would make Node also wrap every HTTP/2 stream in its compatibility
    // request/response (which answers trailers on its own); the host serves streams itself.
    server.removeAllListeners('newListener');
    server.on('request', this.#onRequest as unknown as Http1Listener);
    server.on('checkContinue', this.#onCheckContinue as unknown as Http1Listener);
    server.on('clientError', this.#onClientError);
    this.#origin = { scheme: 'https', unixPath: null, trusted: admission.trusted };
    this.#upgrades = config.ws === 'none' ? null : new WebSocketUpgrades(context);
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

  /**
   * The host is shutting down: each HTTP/1.1 connection ends after its current response, and
   * WebSockets close with 1001. Resolves when the WebSockets are closed.
   */
  async stop(gracefulMs: number): Promise<void> {
    this.#closing = true;
    await this.#upgrades?.close(gracefulMs);
  }

  responseClosed(socket: Socket): void {
    if (this.#closing && !socket.destroyed) socket.end();
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, false);
  };

  readonly #onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    if (wantsWebSocket(req)) {
      (this.#upgrades as WebSocketUpgrades).handle(req, socket, head, this.#origin);
      return;
    }
    // Another protocol is not offered on this connection: answer the plain request it also is, then close.
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
    const transport = new Http1Transport(req, res, expectsContinue, this);
    this.#lastRequest.set(req.socket, transport);
    const target = parseTarget(req.url as string);
    if (target === null) {
      plainResponse(transport, 400, req.method ?? 'GET');
      return;
    }
    const scope = nodeRequestScope(req, target, this.#scopeContext);
    const { trusted, cycleSettings } = this.#admission;
    if (trusted !== null) applyProxyHeaders(scope, req.socket.remoteAddress, trusted);
    this.#admission.admit(new HttpCycle(scope, transport, cycleSettings));
  }

  readonly #onClientError = (error: NodeJS.ErrnoException, socket: Socket): void => {
    const { response, warn } = clientErrorAnswer(error);
    const message = `${error.message} (${error.code ?? 'no code'}) from ${socket.remoteAddress ?? 'a unix socket peer'}`;
    if (warn) this.#context.logger.warning(`Invalid HTTP request received: ${message}`);
    else this.#context.logger.debug(`Connection closed: ${message}`);
    const last = this.#lastRequest.get(socket);
    // Answer only when no response bytes of an earlier request are on the wire (as Node does).
    const answerable = last === undefined || last.finished || last.answerable;
    last?.reject();
    if (response !== null && socket.writable && answerable) socket.write(response);
    socket.destroy();
  };
}
