import { GATEWAY_VERSION, SPEC_VERSION } from './types';
import type { GatewayInfo, HttpScope, LifespanScope, WebSocketScope } from './types';

/** The `gateway` key every scope carries. Frozen and shared: hosts need not allocate one per request. */
export const gatewayInfo: GatewayInfo = Object.freeze({ version: GATEWAY_VERSION, specVersion: SPEC_VERSION });

type ScopeOverrides<S> = Partial<Omit<S, 'type' | 'gateway'>>;

/**
 * An HTTP scope with sensible defaults (`GET /` over HTTP/1.1 from 127.0.0.1), for tests and
 * harnesses. `rawPath` defaults to the percent-encoded `path`.
 *
 * @example
 * const scope = httpScope({ method: 'POST', path: '/items', headers: [['content-type', 'application/json']] });
 */
export function httpScope(overrides: ScopeOverrides<HttpScope> = {}): HttpScope {
  const path = overrides.path ?? '/';
  return { type: 'http', method: 'GET', scheme: 'http', ...connectionDefaults(path), ...overrides, path };
}

/** A WebSocket scope with sensible defaults (`ws://testserver/`). */
export function websocketScope(overrides: ScopeOverrides<WebSocketScope> = {}): WebSocketScope {
  const path = overrides.path ?? '/';
  return { type: 'websocket', scheme: 'ws', subprotocols: [], ...connectionDefaults(path), ...overrides, path };
}

/** What HTTP and WebSocket test scopes share: a request for `path` from 127.0.0.1 to `testserver`. */
function connectionDefaults(path: string) {
  return {
    gateway: gatewayInfo,
    httpVersion: '1.1' as const,
    rawPath: encodeURI(path),
    queryString: '',
    rootPath: '',
    headers: [['host', 'testserver']] as [string, string][],
    client: { host: '127.0.0.1', port: 50000 },
    server: { host: '127.0.0.1', port: 80 },
    state: {},
    extensions: {},
  };
}

/** A lifespan scope with an empty state (or the one given). */
export function lifespanScope(state: Record<string, unknown> = {}): LifespanScope {
  return { type: 'lifespan', gateway: gatewayInfo, state };
}
