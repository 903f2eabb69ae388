import type { App } from '@portico/protocol';
import { resolveConfig, type ServerConfig, type ServerOptions } from './config';
import { showValue } from './errors';
import { describeAddress, type BoundAddress, type Host, type HostContext } from './host';
import { FastCgiHost } from './fastcgi/fastcgi-host';
import { Http1Host } from './http1/http1-host';
import { Http2Host } from './http2/http2-host';
import { PorticoHttp1Host } from './portico-http1/portico-http1-host';
import { createLifespan, type Lifespan } from './lifespan';
import { colourByDefault, Logger } from './logger';
import { handleSignals } from './signals';

type Phase = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/** What was given instead of an app; a module's namespace (`await import('./app')`) is named with the export to pass. */
function describeApp(app: unknown): string {
  if (typeof app !== 'object' || app === null) return showValue(app);
  const keys = Object.keys(app);
  const exported = ['app', 'default'].find((key) => typeof (app as Record<string, unknown>)[key] === 'function');
  const hint = exported === undefined ? '' : ` (a module? pass its export: new Server(module.${exported}))`;
  return `${keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}`}${hint}`;
}

/** The host the `interface`, `http` and `http1` options name. */
function createHost(context: HostContext): Host {
  const { config } = context;
  if (config.interface === 'fastcgi') return new FastCgiHost(context);
  // 'auto' serves HTTP/1.1 and HTTP/2 on one port: by ALPN with TLS, by the connection preface without.
  if (config.http !== '1.1') return new Http2Host(context);
  return config.http1 === 'portico' ? new PorticoHttp1Host(context) : new Http1Host(context);
}

/**
 * Serves one app: runs its lifespan, a host (HTTP/1.1 on `node:http` or on Portico's own parser,
 * HTTP/2, FastCGI; HTTPS), and a graceful shutdown. The options are checked in the constructor,
 * before anything binds.
 *
 * @example
 * const server = new Server(app, { port: 0, lifespan: 'on' });
 * await server.start();
 * console.log(server.url); // http://127.0.0.1:53211
 * await server.close();
 */
export class Server {
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** Resolves once the server has stopped, however it was asked to (never rejects). */
  readonly closed: Promise<void>;
  /**
   * What happens once `limitMaxRequests` requests were accepted: by default the server closes
   * (a process manager starts a fresh one). The CLI's workers ask their supervisor instead, which
   * starts a replacement before stopping them, so the port never goes unserved.
   */
  onRequestLimit: () => void = () => void this.close().catch(() => undefined); // close() failures are logged
  readonly #app: App;
  readonly #lifespan: Lifespan;
  #host: Host | null = null;
  #address: BoundAddress | null = null;
  #phase: Phase = 'new';
  #closing: Promise<void> | null = null;
  #markClosed!: () => void;

  constructor(app: App, options: ServerOptions = {}) {
    if (typeof app !== 'function') throw new TypeError(`new Server(app, options) takes a protocol app: a function (scope, receive, send) => Promise<void>, such as a framework App; got ${describeApp(app)}`);
    this.config = resolveConfig(options);
    const stream = this.config.logStream ?? process.stderr;
    this.logger = new Logger(this.config.logLevel, stream, this.config.useColors ?? colourByDefault(stream));
    this.#app = app;
    this.#lifespan = createLifespan(app, this.config.lifespan, this.logger);
    this.closed = new Promise((resolve) => (this.#markClosed = resolve));
  }

  /**
   * Run lifespan startup, then bind. Rejects with `LifespanStartupError` (carrying the app's
   * message) when startup fails, or with the bind error; nothing is left listening either way.
   */
  async start(): Promise<void> {
    if (this.#phase !== 'new') throw new Error(`Server.start() called twice (the server is ${this.#phase})`);
    this.#phase = 'starting';
    try {
      await this.#lifespan.startup();
    } catch (error) {
      this.#finish();
      throw error;
    }
    const host = createHost({
      app: this.#app,
      config: this.config,
      logger: this.logger,
      state: this.#lifespan.state,
      onRequestLimit: () => this.onRequestLimit(),
    });
    try {
      this.#address = await host.listen();
    } catch (error) {
      await this.#lifespan.shutdown().catch(() => undefined);
      this.#finish();
      throw error;
    }
    this.#host = host;
    if (this.#phase === 'starting') this.#phase = 'running';
  }

  /** Where the server listens, once started. */
  get address(): BoundAddress {
    if (this.#address === null) throw new Error('The server is not listening yet: await server.start() first');
    return this.#address;
  }

  /** `http://127.0.0.1:8000` (`fastcgi://...` with `interface: 'fastcgi'`); for a Unix socket, `unix socket /path`. */
  get url(): string {
    return describeAddress(this.#host?.scheme ?? 'http', this.address);
  }

  /**
   * Stop gracefully: stop accepting, close idle keep-alive connections, let in-flight requests
   * finish for up to `timeoutGracefulShutdown` seconds (then cut them), then run lifespan shutdown.
   * Rejects with `LifespanShutdownError` when the app's shutdown failed; the server is stopped anyway.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** `await using server = await serve(app)`: closed gracefully when the block ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #close(): Promise<void> {
    this.#phase = 'closing';
    try {
      const hostClosed = this.#host?.close(this.config.timeoutGracefulShutdown * 1000);
      // Logged once the host no longer accepts connections, so the log never runs ahead of it.
      this.logger.info('Shutting down');
      await hostClosed;
      await this.#lifespan.shutdown();
    } finally {
      this.#finish();
    }
  }

  #finish(): void {
    this.#phase = 'closed';
    this.#markClosed();
  }
}

/**
 * Start serving `app` the way the CLI does: check the options, run lifespan startup, bind, log
 * where it listens, and stop gracefully on SIGINT/SIGTERM (a second signal forces the exit).
 *
 * @example
 * import { serve } from '@portico/server';
 * const server = await serve(app, { port: 8000 });
 * await server.closed; // after Ctrl+C
 */
export async function serve(app: App, options: ServerOptions = {}): Promise<Server> {
  const server = new Server(app, options);
  const stopHandling = handleSignals(server, ['SIGINT', 'SIGTERM']);
  void server.closed.then(stopHandling);
  try {
    await server.start();
  } catch (error) {
    stopHandling();
    throw error;
  }
  server.logger.info(`Portico running on ${server.url} (Press CTRL+C to quit)`);
  return server;
}
