import type { IncomingMessage } from 'node:http';
import type { HttpScope } from '@portico/protocol';
import { headerList, httpScope, type RequestTarget, type ScopeOrigin } from '../scope';
import { connectionAddresses } from '../socket-addresses';

/** What a scope built from a `node:http` request takes from its host besides the request. */
export interface NodeScopeContext extends ScopeOrigin {
  /** The Unix socket the host listens on (the scope's `server` then names it); absent or null on TCP. */
  readonly unixPath?: string | null;
}

/**
 * The HTTP scope of a `node:http` request (an `IncomingMessage` from Node's HTTP/1.1 parser): for
 * the HTTP/1.1 host, the HTTP/1.1 side of the HTTP/2 host, WebSocket upgrades and `toNodeHandler`.
 */
export function nodeRequestScope(req: IncomingMessage, target: RequestTarget, context: NodeScopeContext): HttpScope {
  const { client, server } = connectionAddresses(req.socket, context.unixPath);
  return httpScope(context, req.httpVersionMinor === 0 ? '1.0' : '1.1', req.method as string, target, headerList(req.rawHeaders), client, server);
}
