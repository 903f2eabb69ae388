import type { IncomingMessage } from 'node:http';
import { gatewayInfo, type Extensions, type HttpScope, type State } from '@portico/protocol';
import { headerList, type RequestTarget } from '../scope';

/** What a scope built from a `node:http` request takes from its host besides the request. */
export interface NodeScopeContext {
  readonly scheme: 'http' | 'https';
  readonly rootPath: string;
  /** The lifespan state; the scope gets a shallow copy. */
  readonly state: State;
  readonly extensions: Extensions;
}

/**
 * The HTTP scope of a `node:http` request (an `IncomingMessage` from Node's HTTP/1.1 parser), for
 * hosts that receive such requests from elsewhere than their own listening server: the HTTP/1.1
 * fallback of the HTTP/2 host and `toNodeHandler`.
 */
export function nodeRequestScope(req: IncomingMessage, target: RequestTarget, context: NodeScopeContext): HttpScope {
  const socket = req.socket;
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
    server: socket.localAddress === undefined ? null : { host: socket.localAddress, port: socket.localPort ?? 0 },
    state: { ...context.state },
    extensions: context.extensions,
  };
}
