import type { App, State } from '@portico/protocol';
import type { ServerConfig } from './config';
import type { Logger } from './logger';

/** What a `Server` hands the host it runs. */
export interface HostContext {
  readonly app: App;
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** The lifespan state; every request scope gets a shallow copy. */
  readonly state: State;
  /** Called once, when `config.limitMaxRequests` requests have been accepted. */
  onRequestLimit(): void;
}

/** The scheme of a listener: `fastcgi` for a FastCGI responder that a web server talks to. */
export type ListenScheme = 'http' | 'https' | 'fastcgi';

/** Where a host listens (for an inherited `fd`, whatever that socket is bound to). */
export type BoundAddress = { kind: 'tcp'; host: string; port: number; family: 'IPv4' | 'IPv6' } | { kind: 'unix'; path: string };

/**
 * A transport door into the same app: HTTP/1.1, HTTP/2 and FastCGI implement the same three
 * members. A host turns connections into `HttpCycle`s; the `Server` around it runs the lifespan
 * and the signals.
 */
export interface Host {
  /** What it speaks, for the log and `Server.url` (a FastCGI listener is no URL a browser can open). */
  readonly scheme: ListenScheme;
  /** Bind and start accepting; resolves with where it listens. */
  listen(): Promise<BoundAddress>;
  /**
   * Stop accepting (before returning), close idle connections, let in-flight requests finish for
   * up to `gracefulMs`, then cut what remains. Resolves when every connection is closed.
   */
  close(gracefulMs: number): Promise<void>;
}


/** `http://127.0.0.1:8000`, `https://[::1]:8443`, `fastcgi://127.0.0.1:9000`, or `unix socket /run/app.sock` for the log. */
export function describeAddress(scheme: ListenScheme, address: BoundAddress): string {
  if (address.kind === 'unix') return `unix socket ${address.path}`;
  return `${scheme}://${address.family === 'IPv6' ? `[${address.host}]` : address.host}:${address.port}`;
}

/** The scheme the configured host listens with (see `ListenScheme`). */
export function listenScheme(config: ServerConfig): ListenScheme {
  if (config.interface === 'fastcgi') return 'fastcgi';
  return config.tls === null ? 'http' : 'https';
}
