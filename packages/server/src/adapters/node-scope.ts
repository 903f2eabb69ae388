import type { IncomingMessage } from 'node:http';
import { gatewayInfo, type Extensions, type HttpScope, type State } from '@portico/protocol';
import { headerList, type RequestTarget } from '../scope';

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
  const socket = req.socket;
  const unixPath = context.unixPath;
  return {
    type: 'http',
    gateway: gatewayInfo,
    httpVersion: req.httpVersionMinor === 0 ? '1.0' : '1.1',
    method: req.method as string,
    scheme: context.scheme,
    path: target.path,
    rawPath: target.rawPath,
    queryString: target.queryString,
    rootPath: context.rootPath,
    headers: headerList(req.rawHeaders),
    client: socket.remoteAddress === undefined ? null : { host: socket.remoteAddress, port: socket.remotePort ?? 0 },
    server:
      unixPath !== undefined && unixPath !== null
        ? { host: unixPath, port: 0 }
        : socket.localAddress === undefined
          ? null
          : { host: socket.localAddress, port: socket.localPort ?? 0 },
    state: { ...context.state },
    extensions: context.extensions,
  };
}
