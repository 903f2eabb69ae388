import { channels, type Receive, type Send } from '@portico/protocol';
import { checkOptions, checkString, describeValue, isClass } from '../arguments';
import type { ConnectionScope } from '../connection';
import { ProtocolApp } from '../protocol-app';
import { WebSocket, WebSocketDisconnect, WebSocketException } from '../websockets';
import { checkPath, reversePattern, withParams, type BaseRoute, type RouteMatch } from './base';
import type { PathParams } from './path-params';
import { PathPattern } from './path-pattern';

/** A WebSocket handler: gets the WebSocket (path parameters typed from the path) and runs the conversation. */
export type WebSocketHandler<Params extends object = Record<string, string | number>> = (websocket: WebSocket<Params>) => Promise<void>;

/** A class with a constructor taking the WebSocket and a `dispatch()` running it: WebSocketEndpoint. */
export interface WebSocketEndpointClass<Params extends object = Record<string, string | number>> {
  new (websocket: WebSocket<Params>): { dispatch(): Promise<void> };
  /** Marks the class kind, so a route tells it from a handler function. */
  readonly isWebSocketEndpoint: true;
}

export interface WebSocketRouteOptions {
  /** For `urlPathFor`; defaults to the handler's name. */
  name?: string;
}

/**
 * One path served over WebSocket, by a handler function or a WebSocketEndpoint class. Path
 * parameters as in Route. A WebSocketException closes with its code; a WebSocketDisconnect that
 * escapes the handler is the normal end of the conversation.
 *
 * @example
 * new WebSocketRoute('/rooms/:room', async (websocket) => {
 *   await websocket.accept();
 *   for await (const text of websocket.iterText()) await websocket.sendText(`${websocket.pathParams.room}: ${text}`);
 * }, { name: 'room' });
 */
export class WebSocketRoute<Path extends string = string> implements BaseRoute {
  readonly path: Path;
  readonly name: string | undefined;
  readonly pattern: PathPattern;
  readonly #run: (websocket: WebSocket<PathParams<Path>>) => Promise<void>;

  constructor(path: Path, handler: WebSocketHandler<PathParams<Path>> | WebSocketEndpointClass<PathParams<Path>>, options: WebSocketRouteOptions = {}) {
    checkPath(path, 'new WebSocketRoute(path, handler)');
    const where = `new WebSocketRoute('${path}', handler`;
    if (typeof handler !== 'function' || handler instanceof ProtocolApp || (isClass(handler) && !isEndpointClass(handler))) {
      let hint = '';
      if (handler instanceof ProtocolApp) hint = ': serve a whole app under a path with new Mount(path, app)';
      else if (typeof handler === 'function') hint = ': a class must extend WebSocketEndpoint';
      throw new TypeError(`${where}) takes a handler function or a WebSocketEndpoint class, got ${describeValue(handler)}${hint}`);
    }
    const { name } = checkOptions<WebSocketRouteOptions>(options, `${where}, options)`, { name: true });
    checkString(name, `${where}, { name })`);
    this.path = path;
    this.pattern = new PathPattern(path);
    this.name = name ?? (handler.name || undefined);
    this.#run = isEndpointClass(handler) ? (websocket) => new handler(websocket).dispatch() : handler;
  }

  get firstSegment(): string | undefined {
    return this.pattern.firstSegment;
  }

  matches(scope: ConnectionScope): RouteMatch | null {
    if (scope.type !== 'websocket') return null;
    const params = this.pattern.params(scope.path);
    return params === null ? null : { kind: 'full', child: { pathParams: withParams(scope, params) } };
  }

  async handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    if (scope.type !== 'websocket') throw new TypeError(`a WebSocketRoute serves websocket scopes, not '${scope.type}'`);
    const websocket = new WebSocket(scope, channels(scope, receive, send).receive, send) as WebSocket<PathParams<Path>>;
    try {
      await this.#run(websocket);
    } catch (error) {
      if (error instanceof WebSocketDisconnect) return; // the peer left: the conversation is over
      if (!(error instanceof WebSocketException) || websocket.applicationState === 'disconnected') throw error;
      await websocket.close(error.code, error.reason);
    }
  }

  urlPathFor(name: string, params: Record<string, string | number>): string {
    return reversePattern(this, name, params);
  }
}

function isEndpointClass<P extends object>(handler: WebSocketHandler<P> | WebSocketEndpointClass<P>): handler is WebSocketEndpointClass<P> {
  return (handler as Partial<WebSocketEndpointClass<P>>).isWebSocketEndpoint === true;
}
