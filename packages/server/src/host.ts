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

/** Where a host listens (for an inherited `fd`, whatever that socket is bound to). */
export type BoundAddress = { kind: 'tcp'; host: string; port: number; family: 'IPv4' | 'IPv6' } | { kind: 'unix'; path: string };

/**
 * A transport door into the same app: HTTP/1.1 today; HTTP/2, FastCGI and the others implement the
 * same three members. A host turns connections into `HttpCycle`s; the `Server` around it runs the
 * lifespan and the signals.
 */
export interface Host {
  readonly scheme: 'http' | 'https';
  /** Bind and start accepting; resolves with where it listens. */
  listen(): Promise<BoundAddress>;
  /**
   * Stop accepting (before returning), close idle connections, let in-flight requests finish for
   * up to `gracefulMs`, then cut what remains. Resolves when every connection is closed.
   */
  close(gracefulMs: number): Promise<void>;
}


/** `http://127.0.0.1:8000`, `https://[::1]:8443`, or `unix socket /run/app.sock` for the log. */
export function describeAddress(scheme: 'http' | 'https', address: BoundAddress): string {
  if (address.kind === 'unix') return `unix socket ${address.path}`;
  return `${scheme}://${address.family === 'IPv6' ? `[${address.host}]` : address.host}:${address.port}`;
}
