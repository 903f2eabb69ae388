import type { Receive, Send } from '@portico/protocol';
import type { ConnectionScope } from '../connection';
import { describeValue } from '../arguments';
import type { PathPattern } from './path-pattern';

/**
 * How a route answers a scope. `full`: path and method fit; `partial`: the path fits but not the
 * method (the router answers 405 if nothing fits fully). `child`: the scope keys to hand on:
 * the path parameters (written into the scope, as Starlette does, to spare a copy per request),
 * and for a Mount the matched prefix moved from `path` to `rootPath` (in a copy of the scope).
 */
export interface RouteMatch {
  kind: 'full' | 'partial';
  child: { path?: string; rootPath?: string; pathParams?: Record<string, string | number> };
}

/**
 * What a Router holds: Route, WebSocketRoute, Mount, Host. Implement it for a
 * route of your own kind.
 */
export interface BaseRoute {
  readonly name: string | undefined;
  /** The first path segment when it is plain text; the router's index uses it. */
  readonly firstSegment: string | undefined;
  matches(scope: ConnectionScope): RouteMatch | null;
  handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void>;
  /** The path of the named route below this one; throws NoMatchFound. */
  urlPathFor(name: string, params: Record<string, string | number>): string;
}

/**
 * `urlPathFor` found no route of that name taking those parameters. The message names what the
 * routes of that name expect, when there are any.
 */
export class NoMatchFound extends Error {
  override readonly name = 'NoMatchFound';

  constructor(
    readonly routeName: string,
    readonly params: Record<string, string | number>,
    /** Why routes of that name did not fit (a missing parameter, a value of the wrong type). */
    readonly reasons: readonly string[] = [],
  ) {
    const given = Object.keys(params);
    super(
      `no route named '${routeName}' accepts the parameters {${given.join(', ')}}` +
        (reasons.length > 0 ? `: ${reasons.join('; ')}` : ' (no route has that name)'),
    );
  }
}

/** Merge path parameters found by this route into those found by the routes around it. */
export function withParams(scope: ConnectionScope, params: Record<string, string | number>): Record<string, string | number> {
  return scope.pathParams === undefined ? params : { ...scope.pathParams, ...params };
}

/**
 * `urlPathFor` of a route with one path pattern (Route, WebSocketRoute): the pattern filled with
 * `params` when the name is the route's, else NoMatchFound saying what the route takes.
 */
export function reversePattern(route: { readonly name: string | undefined; readonly path: string; readonly pattern: PathPattern }, name: string, params: Record<string, string | number>): string {
  if (name !== route.name) throw new NoMatchFound(name, params);
  const { pattern, path } = route;
  const unknown = Object.keys(params).filter((key) => !pattern.paramNames.includes(key));
  if (unknown.length > 0) throw new NoMatchFound(name, params, [`'${path}' takes {${pattern.paramNames.join(', ')}}, not ${unknown.join(', ')}`]);
  try {
    return pattern.format(params);
  } catch (error) {
    throw new NoMatchFound(name, params, [`'${path}': ${(error as Error).message}`]);
  }
}

/**
 * Check a list of routes given to `where` (a Router, an App, a Mount): an array of objects that
 * implement BaseRoute. Checked once, when built, so a wrong entry never becomes a 500 per request.
 */
export function checkRoutes(routes: unknown, where: string): readonly BaseRoute[] {
  if (!Array.isArray(routes)) throw new TypeError(`${where} takes an array of routes (Route, WebSocketRoute, Mount, Host), got ${describeValue(routes)}`);
  routes.forEach((route: unknown, index) => checkRoute(route, `${where}: routes[${index}]`));
  return routes as readonly BaseRoute[];
}

/** Check one route: an object with the methods of BaseRoute. */
export function checkRoute(route: unknown, where: string): asserts route is BaseRoute {
  const candidate = route as Partial<Record<keyof BaseRoute, unknown>> | null | undefined;
  if (typeof candidate === 'object' && candidate !== null && typeof candidate.matches === 'function' && typeof candidate.handle === 'function' && typeof candidate.urlPathFor === 'function') return;
  const hint = typeof route === 'function' ? ' (a handler goes in new Route(path, handler), an app in new Mount(path, app))' : '';
  throw new TypeError(`${where} is ${describeValue(route)}, not a route: a Route, WebSocketRoute, Mount, Host or other BaseRoute${hint}`);
}

/** Check a route or mount path: a string that starts with '/' (or is '' when `empty` allows it). */
export function checkPath(path: unknown, where: string, empty = false): asserts path is string {
  if (typeof path === 'string' && (path.startsWith('/') || (empty && path === ''))) return;
  throw new TypeError(`${where}: paths start with '/'${empty ? " (or are '')" : ''}, got ${describeValue(path)}`);
}
