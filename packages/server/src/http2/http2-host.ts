import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RequestAdmission } from '../admission';
import { plainResponse } from '../cycle/plain-response';
import { NODE_HTTP_EXTENSIONS } from '../extensions';
import { closeWithin } from '../graceful-close';
import type { BoundAddress, Host, HostContext } from '../host';
import { Http1RequestHandler, http1ServerOptions } from '../http1/request-handler';
import { bindServer } from '../listen';
import { applyProxyHeaders, trustedProxies, type TrustedProxies } from '../proxy-headers';
import type { ScopeOrigin } from '../scope';
import { peer, socketAddresses, type SocketAddresses } from '../socket-addresses';
import { http2Scope } from './http2-scope';
import { Http2Transport, type Http2TransportSettings } from './http2-transport';
import { interceptConnections, sniffPreface } from './preface';

/**
 * HTTP/2 on Node's `node:http2` (nghttp2 parses and frames). With TLS, ALPN offers `h2` and, with
 * `http: 'auto'`, `http/1.1` on the same port. Without TLS it speaks h2c to clients with prior
 * knowledge, told apart by the connection preface: with `http: 'auto'` other connections go to
 * Node's HTTP/1.1 server, with `http: '2'` they get a 505. HTTP/1.1 connections are served by the
 * HTTP/1.1 host's `Http1RequestHandler`, admitted with the streams (one `limitConcurrency`). Each
 * stream is one `HttpCycle` over an `Http2Transport`; streams are independent (flow control is per
 * stream). Limits: `maxHeaderSize` (the header list size advertised in SETTINGS), `limitConcurrency`
 * (503), `limitMaxRequests`, `maxBodySize` (in the cycle), `timeoutKeepAlive` (an idle connection
 * gets GOAWAY), `timeoutHeaders` (a cleartext connection silent before its first bytes is closed).
 */
export class Http2Host implements Host, Http2TransportSettings {
  readonly scheme: 'http' | 'https';
  readonly #context: HostContext;
  /** The server that listens: the HTTP/2 one, or Node's HTTP/1.1 one on an `auto` port. */
  readonly #server: Http2Server | Http2SecureServer | HttpServer | HttpsServer;
  readonly #admission: RequestAdmission;
  readonly #trusted: TrustedProxies | null;
  readonly #scopeContext: ScopeOrigin;
  /** The HTTP/1.1 side of an `http: 'auto'` port. */
  readonly #http1: Http1RequestHandler | null = null;
  readonly #sessions = new Map<Http2Session, SocketAddresses>();
  readonly #sockets = new Set<Socket>();
  /** Cleartext connections whose first bytes have not yet said which protocol they speak. */
  readonly #sniffing = new Set<Socket>();
  #unixPath: string | null = null;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    const tls = config.tls;
    this.scheme = tls === null ? 'http' : 'https';
    this.#admission = new RequestAdmission(context);
    this.#trusted = trustedProxies(config);
    this.#scopeContext = { scheme: this.scheme, rootPath: config.rootPath, state: context.state, extensions: NODE_HTTP_EXTENSIONS };
    const settings = { maxHeaderListSize: config.maxHeaderSize };
    let http2: Http2Server | Http2SecureServer;
    if (tls === null) {
      const h2c = createServer({ settings });
      http2 = h2c;
      if (config.http === 'auto') {
        const http1 = createHttpServer(http1ServerOptions(config));
        this.#http1 = new Http1RequestHandler(http1, context, this.#admission, 'http');
        interceptConnections(http1, (socket, serveHttp1) => this.#sniff(socket, (isHttp2) => (isHttp2 ? h2c.emit('connection', socket) : serveHttp1(socket))));
        this.#server = http1;
      } else {
        interceptConnections(h2c, (socket, serveHttp2) => this.#sniff(socket, (isHttp2) => (isHttp2 ? serveHttp2(socket) : this.#refuseHttp1(socket, HTTP2_ONLY_CLEARTEXT))));
        this.#server = h2c;
      }
    } else if (config.http === 'auto') {
      // Node's HTTPS server listens and offers both by ALPN; h2 connections go to a plain HTTP/2
      // server, as on a cleartext port, so neither server reaches into the other's settings.
      const h2 = createServer({ settings });
      http2 = h2;
      const https = createHttpsServer({ ...http1ServerOptions(config), ...tls, ALPNProtocols: ['h2', 'http/1.1'] });
      this.#http1 = new Http1RequestHandler(https, context, this.#admission, 'https');
      interceptConnections(https, (socket, serveHttp1) => ((socket as Partial<TLSSocket>).alpnProtocol === 'h2' ? h2.emit('connection', socket) : serveHttp1(socket)), 'secureConnection');
      https.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
      this.#server = https;
    } else {
      const secure = createSecureServer({ ...tls, settings });
      secure.on('unknownProtocol', (socket: Socket) => this.#refuseHttp1(socket, HTTP2_ONLY_TLS));
      this.#server = http2 = secure;
    }
    this.#server.on('connection', this.#onConnection);
    http2.on('session', this.#onSession);
    http2.on('stream', this.#onStream);
    http2.on('sessionError', (error: Error) => logger.debug(`HTTP/2 connection failed: ${error.message}`));
    http2.on('tlsClientError', (error: Error) => logger.debug(`TLS handshake failed: ${error.message}`));
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
    this.#http1?.boundTo(address);
    return address;
  }

  async close(gracefulMs: number): Promise<void> {
    const server = this.#server;
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const websocketsClosed = this.#http1?.stop(gracefulMs);
    // Nothing was asked on a connection still being sniffed.
    for (const socket of this.#sniffing) socket.destroy();
    // GOAWAY: no new streams; the ones in flight finish, then Node closes the connection.
    for (const session of this.#sessions.keys()) session.close();
    const cut = (): void => {
      for (const session of this.#sessions.keys()) session.destroy();
      for (const socket of this.#sockets) socket.destroy();
    };
    await closeWithin(closed, gracefulMs, cut, this.#context.logger, () => this.#admission.running);
    await websocketsClosed;
  }

  readonly #onConnection = (socket: Socket): void => {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  };

  #sniff(socket: Socket, decided: (isHttp2: boolean) => void): void {
    this.#sniffing.add(socket);
    socket.once('close', () => this.#sniffing.delete(socket));
    sniffPreface(socket, Math.round(this.#context.config.timeoutHeaders * 1000), (isHttp2) => {
      this.#sniffing.delete(socket);
      decided(isHttp2);
    });
  }

  /** `http: '2'`: a client that did not speak HTTP/2 gets a plain HTTP/1.1 answer, then the connection closes. */
  #refuseHttp1(socket: Socket, answer: Buffer): void {
    this.#context.logger.warning(`HTTP/1.x connection from ${peer(socket)} refused with 505: this port speaks HTTP/2 only (http: '2'; 'auto' serves both)`);
    socket.end(answer, () => socket.destroy());
  }

  readonly #onSession = (session: Http2Session): void => {
    const socket = session.socket;
    this.#sessions.set(session, socketAddresses(socket, this.#unixPath));
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
    if (this.#trusted !== null) applyProxyHeaders(scope, addresses.client?.host, this.#trusted);
    this.#admission.admit(scope, transport);
  };
}

const NO_ADDRESSES: SocketAddresses = { client: null, server: null };

/** RFC 9113 6.5.2: a header list's size is its names and values plus 32 octets per field. */
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const field of rawHeaders) size += field.length;
  return size + 16 * rawHeaders.length;
}

/** A 505 for an HTTP/1.x client of an HTTP/2-only port, saying how to reach it. */
function http2Only(how: string): Buffer {
  const body = `This server speaks HTTP/2 (${how}).`;
  return Buffer.from(
    `HTTP/1.1 505 HTTP Version Not Supported\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    'latin1',
  );
}

const HTTP2_ONLY_TLS = http2Only('ALPN h2');
const HTTP2_ONLY_CLEARTEXT = http2Only('h2c with prior knowledge');
