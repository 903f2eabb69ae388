import type { IncomingMessage } from 'node:http';
import { gatewayInfo, type Extensions, type HttpScope, type State } from '@portico/protocol';
import { headerList, type RequestTarget } from '../scope';
import { connectionAddresses } from '../socket-addresses';

// Read once, at load: in TypeScript's CommonJS output a package's re-exports are getters on a
// dictionary-mode object, which V8 does not inline, so each use per request costs a lookup and a call.
// The HTTP/2 scope builder uses it too.
export const GATEWAY = gatewayInfo;

/** What Node's HTTP/1.1 and HTTP/2 transports implement, shared by every scope they serve. */
export const NODE_HTTP_EXTENSIONS: Extensions = Object.freeze({
  'http.response.trailers': Object.freeze({}),
  'http.response.pathsend': Object.freeze({}),
  'http.response.early_hint': Object.freeze({}),
});

/** What a scope built from a `node:http` request takes from its host besides the request. */
export interface NodeScopeContext {
  readonly scheme: 'http' | 'https';
  readonly rootPath: string;
  /** The lifespan state; the scope gets a shallow copy. */
  readonly state: State;
  readonly extensions: Extensions;
  /** The Unix socket the host listens on (the scope's `server` then names it); absent or null on TCP. */
  readonly unixPath?: string | null;
}

/**
 * The HTTP scope of a `node:http` request (an `IncomingMessage` from Node's HTTP/1.1 parser): for
 * the HTTP/1.1 host, the HTTP/1.1 side of the HTTP/2 host and `toNodeHandler`.
 */
export function nodeRequestScope(req: IncomingMessage, target: RequestTarget, context: NodeScopeContext): HttpScope {
  const { client, server } = connectionAddresses(req.socket, context.unixPath);
  return {
    type: 'http',
    gateway: GATEWAY,
    httpVersion: req.httpVersionMinor === 0 ? '1.0' : '1.1',
    method: req.method as string,
    scheme: context.scheme,
    path: target.path,
    rawPath: target.rawPath,
    queryString: target.queryString,
    rootPath: context.rootPath,
    headers: headerList(req.rawHeaders),
    // Copies: an app may change its scope's addresses, the connection's next request must not see it.
    client: client === null ? null : { host: client.host, port: client.port },
    server: server === null ? null : { host: server.host, port: server.port },
    state: { ...context.state },
    extensions: context.extensions,
  };
}
