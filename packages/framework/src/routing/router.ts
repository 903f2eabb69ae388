import { channels, type Receive, type Scope, type Send } from '@portico/protocol';
import { checkBoolean, checkOptions } from '../arguments';
import type { ConnectionScope, RouteReverser } from '../connection';
import { AppStartedError, HTTPException } from '../exceptions';
import { runLifespan } from '../lifespan';
import { ProtocolApp } from '../protocol-app';
import { RedirectResponse } from '../responses/redirect';
import { PlainTextResponse } from '../responses/text';
import { URL } from '../datastructures';
import { checkRoute, checkRoutes, NoMatchFound, type BaseRoute, type RouteMatch } from './base';

export interface RouterOptions {
  routes?: readonly BaseRoute[];
  /** Send `/items/` to `/items` (and back) with a 307 when only the other form has a route. Default true. */
  redirectSlashes?: boolean;
}

/**
 * Dispatch to the first route that fits. Routes are indexed by their first static path segment
 * once, on the first call, so finding a route costs the same with ten routes or ten thousand;
 * routes whose first segment is a parameter are tried in declaration order alongside.
 * No path: 404. A path with the wrong method: 405 with `Allow`. Itself a protocol app.
 *
 * @example
 * const router = new Router({ routes: [new Route('/', home), new Mount('/api', api)] });
 */
export class Router extends ProtocolApp implements RouteReverser {
  readonly #routes: BaseRoute[];
  readonly redirectSlashes: boolean;
  #index: Map<string, BaseRoute[]> | undefined;
  #unindexed: BaseRoute[] = [];

  constructor(options: RouterOptions = {}) {
    super();
    const { routes = [], redirectSlashes } = checkOptions<RouterOptions>(options, 'new Router(options)', { routes: true, redirectSlashes: true });
    this.#routes = [...checkRoutes(routes, 'new Router({ routes })')];
    this.redirectSlashes = checkBoolean(redirectSlashes, 'new Router({ redirectSlashes })') ?? true;
  }

  get routes(): readonly BaseRoute[] {
    return this.#routes;
  }

  /** Add a route; only before the router has served its first request. */
  add(route: BaseRoute): void {
    if (this.#index) throw new AppStartedError('a route was added after the router started serving: add every route before the first request');
    checkRoute(route, 'router.add(route): route');
    this.#routes.push(route);
  }

  // Not async: a matched route's promise is returned as it is, without another async frame per request.
  handle(scope: Scope, receive: Receive, send: Send): Promise<void> {
    try {
      if (scope.type === 'lifespan') return runLifespan(scope, channels(scope, receive, send).receive, send);
      // The first full match, else the first partial one (a 405); the loop is here, not in a
      // helper, so that no object per request carries the route and its match out of it.
      let partial: BaseRoute | undefined;
      let partialMatch: RouteMatch | undefined;
      for (const route of this.#candidates(scope.path)) {
        const match = route.matches(scope);
        if (match === null) continue;
        if (match.kind === 'full') return enter(route, match, scope, receive, send);
        if (partial === undefined) {
          partial = route;
          partialMatch = match;
        }
      }
      if (partial !== undefined) return enter(partial, partialMatch as RouteMatch, scope, receive, send);
      return this.#notFound(scope, receive, send);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** No route fits: a redirect to the other slash form, a 404, or a websocket close. */
  async #notFound(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    if (scope.type === 'http' && this.redirectSlashes && scope.path !== '/') {
      const other = scope.path.endsWith('/') ? scope.path.slice(0, -1) : `${scope.path}/`;
      if (this.#fits({ ...scope, path: other })) {
        const url = URL.fromScope(scope).replace({ path: scope.rootPath + other });
        return new RedirectResponse(url.href).handle(scope, receive, send);
      }
    }
    if (scope.type === 'websocket') {
      await send({ type: 'websocket.close', code: 1000 });
      return;
    }
    if ((scope as ConnectionScope).app !== undefined) throw new HTTPException(404);
    return new PlainTextResponse('Not Found', { status: 404 }).handle(scope, receive, send);
  }

  urlPathFor(name: string, params: Record<string, string | number> = {}): string {
    const reasons: string[] = [];
    for (const route of this.#routes) {
      try {
        return route.urlPathFor(name, params);
      } catch (error) {
        if (!(error instanceof NoMatchFound)) throw error;
        reasons.push(...error.reasons);
      }
    }
    throw new NoMatchFound(name, params, reasons);
  }

  /** Whether any route fits the path (for the slash redirect). */
  #fits(scope: ConnectionScope): boolean {
    return this.#candidates(scope.path).some((route) => route.matches(scope) !== null);
  }

  #candidates(path: string): readonly BaseRoute[] {
    const index = (this.#index ??= this.#buildIndex());
    if (!path.startsWith('/')) return this.#unindexed;
    const end = path.indexOf('/', 1);
    return index.get(end === -1 ? path.slice(1) : path.slice(1, end)) ?? this.#unindexed;
  }

  /** For each static first segment, the routes that may match it, in declaration order. */
  #buildIndex(): Map<string, BaseRoute[]> {
    const index = new Map<string, BaseRoute[]>();
    const unindexed: BaseRoute[] = [];
    for (const route of this.#routes) {
      const segment = route.firstSegment;
      if (segment === undefined) {
        unindexed.push(route);
        for (const bucket of index.values()) bucket.push(route);
        continue;
      }
      let bucket = index.get(segment);
      if (!bucket) index.set(segment, (bucket = [...unindexed]));
      bucket.push(route);
    }
    this.#unindexed = unindexed;
    return index;
  }
}

/**
 * Hand the scope to a matched route. Path parameters are written into the scope (no copy per
 * request); a Mount's new path and rootPath go into a copy, because the host still reads its own
 * (an access log, say).
 */
function enter(route: BaseRoute, { child }: RouteMatch, scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
  if (child.path !== undefined) return route.handle({ ...scope, ...child } as ConnectionScope, receive, send);
  if (child.rootPath === undefined) {
    if (child.pathParams !== undefined) scope.pathParams = child.pathParams;
  } else Object.assign(scope, child);
  return route.handle(scope, receive, send);
}
