import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { HeaderList } from '@portico/protocol';
import type { RequestAdmission } from '../admission';
import { plainResponse } from '../cycle/plain-response';
import { NODE_HTTP_EXTENSIONS } from '../extensions';
import type { BoundAddress, HostContext } from '../host';
import { headProblem } from '../http1/head-problem';
import { keepAliveField } from '../http1/host-fields';
import { http1ServerOptions } from '../http1/request-handler';
import type { Logger } from '../logger';
import { applyProxyHeaders, trustedProxies, type TrustedProxies } from '../proxy-headers';
import { httpScope, parseTarget, type ScopeOrigin } from '../scope';
import { peer } from '../socket-addresses';
import { wantsWebSocket } from '../websocket/handshake';
import { WebSocketUpgrades, type UpgradeOrigin } from '../websocket/websocket-upgrades';
import { ConnectionClock } from './connection-clock';
import { PorticoConnection, type ConnectionHost, type ConnectionTimeouts } from './connection';
import type { RequestHead } from './parser/request-head';
import type { PorticoTransport, PorticoTransportSettings } from './portico-transport';
import { HostFields } from './response-head';
import { upgradeRequest } from './upgrade-request';

/** Where requests arrive, for their scopes and WebSocket upgrades; `unixPath` is known once bound. */
interface Origin extends ScopeOrigin, UpgradeOrigin {
  unixPath: string | null;
}

const NO_HEADERS: HeaderList = [];

/**
 * What happens on the connections of Portico's own HTTP/1.1 host, as `Http1RequestHandler` does it
 * for `node:http`: each socket becomes a `PorticoConnection`; each request it parses is checked
 * (the same `headProblem`s get 400, an unknown `Expect` 417), gets its scope and runs in an
 * `HttpCycle` admitted by the host's `RequestAdmission`; `Upgrade: websocket` goes to
 * `WebSocketUpgrades`. One `ConnectionClock` times every connection.
 *
 * @example
 * const requests = new PorticoRequestHandler(context, new RequestAdmission(context), 'http');
 * net.createServer(requests.accept);
 */
export class PorticoRequestHandler implements ConnectionHost, PorticoTransportSettings {
  readonly logger: Logger;
  readonly maxHeaderSize: number;
  readonly fields: HostFields;
  readonly clock: ConnectionClock;
  readonly timeouts: ConnectionTimeouts;
  readonly #admission: RequestAdmission;
  readonly #origin: Origin;
  readonly #trusted: TrustedProxies | null;
  /** The WebSocket side; null with `ws: 'none'` (upgrade requests are then plain HTTP requests). */
  readonly #upgrades: WebSocketUpgrades | null;
  readonly #connections = new Set<PorticoConnection>();
  #closing = false;

  constructor(context: HostContext, admission: RequestAdmission, scheme: 'http' | 'https') {
    const { config, logger } = context;
    this.logger = logger;
    this.#admission = admission;
    this.maxHeaderSize = config.maxHeaderSize;
    this.fields = new HostFields({ serverHeader: config.serverHeader, dateHeader: config.dateHeader, keepAliveField: keepAliveField(config) });
    this.#trusted = trustedProxies(config);
    this.#origin = { scheme, rootPath: config.rootPath, state: context.state, extensions: NODE_HTTP_EXTENSIONS, unixPath: null, trusted: this.#trusted };
    // The same timeouts node:http is given; checked every quarter of the shortest, within 50 ms to 1 s.
    const { headersTimeout = 0, requestTimeout = 0, keepAliveTimeout = 0 } = http1ServerOptions(config);
    const period = Math.max(50, Math.min(1000, Math.round(Math.min(headersTimeout, keepAliveTimeout) / 4)));
    const clock = (this.clock = new ConnectionClock(this.#connections, period));
    this.timeouts = { headers: clock.ticksFor(headersTimeout), request: clock.ticksFor(requestTimeout), keepAlive: clock.ticksFor(keepAliveTimeout) };
    this.#upgrades = config.ws === 'none' ? null : new WebSocketUpgrades(context, admission);
  }

  get closing(): boolean {
    return this.#closing;
  }

  get unixPath(): string | null {
    return this.#origin.unixPath;
  }

  get transportSettings(): PorticoTransportSettings {
    return this;
  }

  /** The server is bound: on a Unix socket, scopes name its path as `server`. Starts the clock. */
  boundTo(address: BoundAddress): void {
    if (address.kind === 'unix') this.#origin.unixPath = address.path;
    this.clock.start();
  }

  /** A new connection (on TLS, once its handshake is done). */
  readonly accept = (socket: Socket): void => {
    this.#connections.add(new PorticoConnection(socket, this));
  };

  forget(connection: PorticoConnection): void {
    this.#connections.delete(connection);
  }

  serve(connection: PorticoConnection, head: RequestHead, transport: PorticoTransport): void {
    const headers = head.headers;
    // As node:http: an HTTP/1.1 expectation other than 100-continue is refused, before anything else is checked.
    if (head.versionMinor === 1 && head.expect && !head.expectContinue) {
      transport.writeHead(417, NO_HEADERS, 0, false);
      transport.end(null, null);
      return;
    }
    const target = parseTarget(head.target);
    // Undecodable paths and the heads headProblem finds never reach the app.
    const problem = target === null ? 'bad request target or version' : headProblem(head.versionMinor, headers);
    if (target === null || problem !== null) {
      this.logger.warning(`Invalid HTTP request received from ${peer(connection.socket)}: ${problem}`);
      connection.refuse();
      plainResponse(transport, 400, head.method);
      return;
    }
    const { client, server } = connection.addresses;
    const scope = httpScope(this.#origin, head.versionMinor === 0 ? '1.0' : '1.1', head.method, target, headers, client, server);
    if (this.#trusted !== null) applyProxyHeaders(scope, scope.client?.host, this.#trusted);
    this.#admission.admit(scope, transport);
  }

  websocketRequest(socket: Socket, head: RequestHead): IncomingMessage | null {
    if (this.#upgrades === null) return null;
    const req = upgradeRequest(socket, head);
    return wantsWebSocket(req) ? req : null;
  }

  handOver(req: IncomingMessage, socket: Socket, rest: Buffer): void {
    if (this.#upgrades === null) socket.destroy();
    else this.#upgrades.handle(req, socket, rest, this.#origin);
  }

  /**
   * The host is shutting down: each connection ends after its current responses (the ones written
   * from now on say `connection: close`), idle ones close now, WebSockets close with 1001. Resolves
   * when the WebSockets are closed.
   */
  async stop(gracefulMs: number): Promise<void> {
    this.#closing = true;
    for (const connection of this.#connections) connection.shutdown();
    await this.#upgrades?.close(gracefulMs);
  }

  /** The grace period is over: cut every HTTP connection still open. */
  cutAll(): void {
    for (const connection of this.#connections) connection.socket.destroy();
  }

  /** Every connection is closed: stop the clock. */
  closed(): void {
    this.clock.stop();
  }
}
