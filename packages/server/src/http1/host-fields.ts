import type { ServerConfig } from '../config';

/** The `server` field an HTTP/1.1 host adds to a response (unless the app sent its own); shared, never changed. */
export const SERVER_HEADER: [string, string] = ['server', 'portico'];

/** How long an idle keep-alive connection stays open, in milliseconds. */
export function keepAliveMs(config: Pick<ServerConfig, 'timeoutKeepAlive'>): number {
  return Math.round(config.timeoutKeepAlive * 1000);
}

/**
 * The value of the `keep-alive` field sent with a kept connection, as Node gives its own: the
 * keep-alive timeout in whole seconds (`timeout=5`); '' for none.
 */
export function keepAliveField(config: Pick<ServerConfig, 'timeoutKeepAlive'>): string {
  const ms = keepAliveMs(config);
  return ms > 0 ? `timeout=${Math.floor(ms / 1000)}` : '';
}
