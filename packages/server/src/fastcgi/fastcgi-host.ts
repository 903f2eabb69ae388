import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { RequestAdmission } from '../admission';
import type { BodyFlow } from '../cgi/cgi-transport';
import { CgiEnvironmentError, cgiRequest, type CgiScopeSettings } from '../cgi/environment';
import { plainResponse } from '../cycle/plain-response';
import { PATHSEND_ONLY } from '../extensions';
import { closeWithin } from '../graceful-close';
import type { BoundAddress, Host, HostContext } from '../host';
import { bindServer } from '../listen';
import type { Logger } from '../logger';
import { trustedProxies } from '../proxy-headers';
import { FastCgiConnection, type ConnectionOwner } from './connection';
import { FastCgiTransport } from './fastcgi-transport';
import { RecordParser } from './records';

/** What FCGI_GET_VALUES reports without `limitConcurrency`: advisory, a web server sizes its pool by it. */
const DEFAULT_MAX_REQUESTS = 1024;
/** Room for the CGI variables (REQUEST_URI, SCRIPT_FILENAME, ...) on top of the request's own headers. */
const CGI_VARIABLES_SIZE = 4096;

/**
 * A FastCGI responder (FastCGI 1.0) for a web server such as nginx (`fastcgi_pass`) over TCP or a
 * Unix socket. Each request's FCGI_PARAMS become an HTTP scope (see `cgiRequest`), its FCGI_STDIN
 * the body, and an `HttpCycle` over a `FastCgiTransport` writes the CGI head and body as FCGI_STDOUT.
 * Requests may be multiplexed on one connection (FCGI_MPXS_CONNS is 1) and connections kept
 * (FCGI_KEEP_CONN). FCGI_ABORT_REQUEST or a closed connection is `http.disconnect` for the app.
 */
export class FastCgiHost implements Host, ConnectionOwner {
  readonly scheme = 'fastcgi';
  readonly values: ReadonlyMap<string, string>;
  readonly maxParamsSize: number;
  readonly #context: HostContext;
  readonly #server: NetServer;
  readonly #connections = new Set<FastCgiConnection>();
  readonly #admission: RequestAdmission;
  readonly #scopeSettings: CgiScopeSettings;
  #closing = false;
  #allClosed: (() => void) | null = null;

  constructor(context: HostContext) {
    this.#context = context;
    const { config } = context;
    this.#admission = new RequestAdmission(context);
    this.#scopeSettings = {
      rootPath: config.rootPath,
      extensions: PATHSEND_ONLY,
      state: context.state,
      trusted: trustedProxies(config),
    };
    const limit = String(config.limitConcurrency ?? DEFAULT_MAX_REQUESTS);
    this.values = new Map([
      ['FCGI_MAX_CONNS', limit],
      ['FCGI_MAX_REQS', limit],
      ['FCGI_MPXS_CONNS', '1'],
    ]);
    this.maxParamsSize = config.maxHeaderSize + CGI_VARIABLES_SIZE;
    this.#server = createServer(this.#onConnection);
  }

  get logger(): Logger {
    return this.#context.logger;
  }

  get closing(): boolean {
    return this.#closing;
  }

  async listen(): Promise<BoundAddress> {
    const address = await bindServer(this.#server, this.#context.config);
    this.#server.on('error', (error) => this.#context.logger.error('Server error', error));
    return address;
  }

  async close(gracefulMs: number): Promise<void> {
    if (!this.#server.listening) return;
    this.#closing = true;
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const drained = new Promise<void>((resolve) => (this.#allClosed = resolve));
    for (const connection of this.#connections) connection.endWhenIdle();
    this.#checkDrained();
    const cut = (): void => {
      for (const connection of this.#connections) connection.destroy();
    };
    await closeWithin(drained, gracefulMs, cut, this.#context.logger, () => this.#admission.running);
    await stopped;
  }

  serve(requestId: number, env: Map<string, string> | null, connection: FastCgiConnection, flow: BodyFlow): FastCgiTransport {
    const { logger } = this.#context;
    if (env === null) {
      logger.warning(`FastCGI request ${requestId}: its params are over ${this.maxParamsSize} bytes (maxHeaderSize + ${CGI_VARIABLES_SIZE})`);
      return this.#answerPlain(requestId, connection, flow, 431);
    }
    let request;
    try {
      request = cgiRequest(env, this.#scopeSettings);
    } catch (error) {
      if (!(error instanceof CgiEnvironmentError)) throw error;
      logger.warning(`Invalid FastCGI request ${requestId}: ${error.message}`);
      return this.#answerPlain(requestId, connection, flow, 400);
    }
    const transport = new FastCgiTransport(requestId, connection, request.declaredBodyLength, flow);
    this.#admission.admit(request.scope, transport, () => connection.requestDone(transport));
    return transport;
  }

  /** Answer a request the app never sees (params too large, not a request). */
  #answerPlain(requestId: number, connection: FastCgiConnection, flow: BodyFlow, status: number): FastCgiTransport {
    const transport = new FastCgiTransport(requestId, connection, null, flow);
    plainResponse(transport, status, 'GET');
    return transport;
  }

  connectionClosed(connection: FastCgiConnection): void {
    this.#connections.delete(connection);
    this.#checkDrained();
  }

  readonly #onConnection = (socket: Socket): void => {
    socket.setNoDelay(true);
    const parser = new RecordParser();
    const connection = new FastCgiConnection(socket, this, (chunk) => parser.push(chunk));
    this.#connections.add(connection);
    if (this.#closing) connection.endWhenIdle();
  };

  #checkDrained(): void {
    if (this.#closing && this.#connections.size === 0) this.#allClosed?.();
  }
}
