import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { WebSocketAcceptEvent, WebSocketScope } from '@portico/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import { nodeRequestScope } from '../adapters/node-scope';
import type { RequestAdmission } from '../admission';
import { WEBSOCKET_EXTENSIONS } from '../extensions';
import type { HostContext } from '../host';
import { applyProxyHeaders, type TrustedProxies } from '../proxy-headers';
import { parseTarget } from '../scope';
import { peer } from '../socket-addresses';
import { handshakeProblem, offeredSubprotocols, refuseHandshake } from './handshake';
import { WebSocketCycle, type WebSocketSettings } from './websocket-cycle';

/** Where the connection arrived, as the HTTP host knows it. */
export interface UpgradeOrigin {
  readonly scheme: 'http' | 'https';
  /** The Unix socket path the host listens on, or null on TCP. */
  readonly unixPath: string | null;
  readonly trusted: TrustedProxies | null;
}

/**
 * The WebSocket side of an HTTP/1.1 host: turns `Upgrade: websocket` requests into `websocket`
 * scopes and runs a `WebSocketCycle` for each; framing, masking, fragmentation, deflate and the
 * close handshake are the `ws` library's. Tracks open connections so shutdown can close them with
 * 1001 and never wait on them for longer than the grace period.
 *
 * @example
 * const upgrades = new WebSocketUpgrades(context, admission);
 * httpServer.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head, origin));
 */
export class WebSocketUpgrades {
  readonly #context: HostContext;
  readonly #admission: RequestAdmission;
  readonly #server: WebSocketServer;
  readonly #settings: WebSocketSettings;
  /** The app's accept event, per request, for ws's subprotocol and headers hooks. */
  readonly #accepts = new WeakMap<IncomingMessage, WebSocketAcceptEvent>();
  readonly #open = new Set<WebSocketCycle>();
  #closing = false;

  /** `admission`: the host's, so that connections count against its limits with its requests. */
  constructor(context: HostContext, admission: RequestAdmission) {
    this.#context = context;
    this.#admission = admission;
    const { config, logger } = context;
    this.#server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: config.wsMaxSize,
      perMessageDeflate: config.wsPerMessageDeflate,
      handleProtocols: (_offered, req) => this.#accepts.get(req)?.subprotocol ?? false,
    });
    this.#server.on('headers', (lines, req) => {
      for (const [name, value] of this.#accepts.get(req)?.headers ?? []) lines.push(`${name}: ${value}`);
    });
    this.#settings = {
      logger,
      accessLog: config.accessLog && logger.enabled('info'),
      maxQueue: config.wsMaxQueue,
      pingIntervalMs: config.wsPingInterval * 1000,
      pingTimeoutMs: config.wsPingTimeout * 1000,
      upgrade: (req, socket, head, accept) => this.#upgrade(req, socket, head, accept),
    };
  }

  /** Connections open or still in their handshake. */
  get size(): number {
    return this.#open.size;
  }

  /** Serve one `Upgrade: websocket` request (the caller checked the header). */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, origin: UpgradeOrigin): void {
    const problem = handshakeProblem(req);
    const target = parseTarget(req.url ?? '');
    if (problem !== null || target === null) {
      const message = problem?.message ?? 'bad request target';
      this.#context.logger.warning(`Invalid WebSocket handshake from ${peer(socket as Socket)}: ${message}`);
      refuseHandshake(socket, problem ?? { status: 400, message, headers: [] });
      return;
    }
    if (this.#closing || !this.#admission.enter()) {
      refuseHandshake(socket, { status: 503, message: 'Service Unavailable', headers: [] });
      return;
    }
    // Built as the HTTP scope it arrives as, so the proxy headers apply the same way; then ws/wss.
    const { config, state } = this.#context;
    const http = nodeRequestScope(req, target, { scheme: origin.scheme, rootPath: config.rootPath, state, extensions: WEBSOCKET_EXTENSIONS, unixPath: origin.unixPath });
    if (origin.trusted !== null) applyProxyHeaders(http, http.client?.host, origin.trusted);
    const { type: _type, method: _method, scheme, ...shared } = http;
    const scope: WebSocketScope = { type: 'websocket', ...shared, scheme: scheme === 'https' ? 'wss' : 'ws', subprotocols: offeredSubprotocols(req) };
    const cycle = new WebSocketCycle(scope, req, socket, head, this.#settings);
    this.#open.add(cycle);
    void cycle.closed.then(() => {
      this.#open.delete(cycle);
      this.#admission.leave();
    });
    void cycle.run(this.#context.app);
  }

  /**
   * Shutdown: close every connection with 1001 (Going Away) and wait for them to end; after
   * `gracefulMs`, cut those whose peer never answered. New handshakes get 503.
   */
  async close(gracefulMs: number): Promise<void> {
    this.#closing = true;
    const open = [...this.#open];
    for (const cycle of open) cycle.goAway();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, gracefulMs, true)));
    const allClosed = Promise.all(open.map((cycle) => cycle.closed)).then(() => false);
    if (await Promise.race([allClosed, timedOut])) for (const cycle of this.#open) cycle.terminate();
    clearTimeout(timer);
    await allClosed;
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, accept: WebSocketAcceptEvent): Promise<WebSocket | null> {
    if (socket.destroyed || !socket.writable) return Promise.resolve(null);
    this.#accepts.set(req, accept);
    return new Promise((resolve) => {
      // ws destroys the socket instead of calling back when the client left meanwhile.
      const gone = (): void => resolve(null);
      socket.once('close', gone);
      this.#server.handleUpgrade(req, socket, head, (ws) => {
        socket.off('close', gone);
        resolve(ws);
      });
    });
  }
}
