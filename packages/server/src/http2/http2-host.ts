import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Socket } from 'node:net';
import type { Extensions } from '@portico/protocol';
import { AccessLog } from '../access-log';
import type { NodeScopeContext } from '../adapters/node-scope';
import { HttpCycle, type CycleSettings } from '../cycle/http-cycle';
import { plainResponse } from '../cycle/plain-response';
import type { BoundAddress, Host, HostContext } from '../host';
import { bindServer } from '../listen';
import { applyProxyHeaders, TrustedProxies } from '../proxy-headers';
import { Http1Fallback } from './http1-fallback';
import { http2Scope, type SessionAddresses } from './http2-scope';
import { Http2Transport, type Http2TransportSettings } from './http2-transport';

/** What this host implements, shared by every scope it builds. */
const EXTENSIONS: Extensions = Object.freeze({
  'http.response.trailers': Object.freeze({}),
  'http.response.pathsend': Object.freeze({}),
  'http.response.early_hint': Object.freeze({}),
});

/** Decides, for the HTTP/2 streams and the HTTP/1.1 requests of one host, whether a request runs. */
export interface RequestAdmission {
  readonly cycleSettings: CycleSettings;
  readonly trusted: TrustedProxies | null;
  /** Run the cycle's app, or answer 503 over `limitConcurrency`; counts `limitMaxRequests`. */
  admit(cycle: HttpCycle): void;
}

/**
 * HTTP/2 on Node's `node:http2` (nghttp2 parses and frames). With TLS, ALPN offers `h2` and, with
 * `http: 'auto'`, `http/1.1` on the same port: those connections are served by Node's HTTP/1.1
 * parser and the HTTP/1.1 transport (`Http1Fallback`). Without TLS it speaks cleartext h2c to
 * clients with prior knowledge. Each stream is one `HttpCycle` over an `Http2Transport`; streams
 * are independent (flow control is per stream). Limits: `maxHeaderSize` (the header list size
 * advertised in SETTINGS), `limitConcurrency` (503), `limitMaxRequests`, `maxBodySize` (in the
 * cycle), `timeoutKeepAlive` (an idle connection gets GOAWAY).
 */
export class Http2Host implements Host, RequestAdmission, Http2TransportSettings {
  readonly scheme: 'http' | 'https';
  readonly cycleSettings: CycleSettings;
  readonly trusted: TrustedProxies | null;
  readonly #context: HostContext;
  readonly #server: Http2Server | Http2SecureServer;
  readonly #scopeContext: NodeScopeContext;
  readonly #fallback: Http1Fallback | null = null;
  readonly #sessions = new Map<Http2Session, SessionAddresses>();
  readonly #sockets = new Set<Socket>();
  #active = 0;
  #accepted = 0;
  #unixPath: string | null = null;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    const tls = config.tls;
    this.scheme = tls === null ? 'http' : 'https';
    this.cycleSettings = {
      logger,
      accessLog: config.accessLog && logger.enabled('info') ? new AccessLog(logger) : null,
      maxBodySize: config.maxBodySize,
    };
    this.trusted = config.proxyHeaders ? new TrustedProxies(config.forwardedAllowIps) : null;
    this.#scopeContext = { scheme: this.scheme, rootPath: config.rootPath, state: context.state, extensions: EXTENSIONS };
    const settings = { maxHeaderListSize: config.maxHeaderSize };
    if (tls === null) {
      this.#server = createServer({ settings });
    } else {
      const secure = createSecureServer({ ...tls, settings, allowHTTP1: config.http === 'auto' });
      if (config.http === 'auto') this.#fallback = new Http1Fallback(secure, context, this.#scopeContext, this);
      else secure.on('unknownProtocol', refuseHttp1);
      this.#server = secure;
    }
    const server = this.#server;
    server.on('connection', this.#onConnection);
    server.on('session', this.#onSession);
    server.on('stream', this.#onStream);
    server.on('sessionError', (error: Error) => logger.debug(`HTTP/2 connection failed: ${error.message}`));
    server.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
  }

  get serverHeader(): boolean {
    return this.#context.config.serverHeader;
  }
  get dateHeader(): boolean {
    return this.#context.config.dateHeader;
  }

  async listen(): Promise<BoundAddress> {
    const address = await bindServer(this.#server, this.#context.config);
    this.#server.on('error', (error) => this.#context.logger.error('Server error', error));
    if (address.kind === 'unix') this.#unixPath = address.path;
    return address;
  }

  async close(gracefulMs: number): Promise<void> {
    const server = this.#server;
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const websocketsClosed = this.#fallback?.stop(gracefulMs);
    // GOAWAY: no new streams; the ones in flight finish, then Node closes the connection.
    for (const session of this.#sessions.keys()) session.close();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, gracefulMs, true)));
    if (await Promise.race([closed.then(() => false), timedOut])) {
      this.#context.logger.warning(`Graceful shutdown timed out after ${gracefulMs / 1000} s; closing ${this.#active} request(s) still running.`);
      for (const session of this.#sessions.keys()) session.destroy();
      for (const socket of this.#sockets) socket.destroy();
    }
    clearTimeout(timer);
    await Promise.all([closed, websocketsClosed]);
  }

  admit(cycle: HttpCycle): void {
    const { config } = this.#context;
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

  readonly #onConnection = (socket: Socket): void => {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  };

  readonly #onSession = (session: Http2Session): void => {
    const socket = session.socket;
    this.#sessions.set(session, {
      client: socket.remoteAddress === undefined ? null : { host: socket.remoteAddress, port: socket.remotePort ?? 0 },
      server: this.#unixPath !== null ? { host: this.#unixPath, port: 0 } : { host: socket.localAddress ?? '', port: socket.localPort ?? 0 },
    });
    session.once('close', () => this.#sessions.delete(session));
    // Idle for timeoutKeepAlive: GOAWAY (streams still running may finish).
    session.setTimeout(Math.round(this.#context.config.timeoutKeepAlive * 1000), () => session.close());
  };

  readonly #onStream = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]): void => {
    const addresses = this.#sessions.get(stream.session as Http2Session) ?? NO_ADDRESSES;
    const length = headers['content-length'];
    const transport = new Http2Transport(stream, length === undefined ? null : Number(length), headers['expect'] === '100-continue', this);
    // nghttp2 enforces the advertised SETTINGS_MAX_HEADER_LIST_SIZE once the client acknowledged
    // it; a request in the client's first flight arrives before that, and gets its 431 here.
    if (headerListSize(rawHeaders) > this.#context.config.maxHeaderSize) {
      plainResponse(transport, 431, headers[':method'] ?? 'GET');
      return;
    }
    const scope = http2Scope(rawHeaders, addresses, this.#scopeContext);
    if (scope === null) {
      this.#context.logger.warning(`Invalid HTTP/2 request received from ${addresses.client?.host ?? 'a unix socket peer'}: no usable :path`);
      plainResponse(transport, 400, headers[':method'] ?? 'GET');
      return;
    }
    if (this.trusted !== null) applyProxyHeaders(scope, addresses.client?.host, this.trusted);
    this.admit(new HttpCycle(scope, transport, this.cycleSettings));
  };
}

const NO_ADDRESSES: SessionAddresses = { client: null, server: null };

/** RFC 9113 6.5.2: a header list's size is its names and values plus 32 octets per field. */
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const field of rawHeaders) size += field.length;
  return size + 16 * rawHeaders.length;
}

const HTTP2_ONLY = Buffer.from(
  'HTTP/1.1 505 HTTP Version Not Supported\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 36\r\nconnection: close\r\n\r\nThis server speaks HTTP/2 (ALPN h2).',
  'latin1',
);

/** `http: '2'` with TLS: a client that did not choose h2 by ALPN gets a plain HTTP/1.1 answer, then the connection closes. */
function refuseHttp1(socket: Socket): void {
  socket.end(HTTP2_ONLY, () => socket.destroy());
}
