import type { App as GatewayApp, Receive, Send } from '@portico/protocol';
import { checkOptions, checkString, describeValue, isClass, isOptionsObject } from '../arguments';
import type { ConnectionScope, RouteReverser } from '../connection';
import { checkPath, checkRoutes, NoMatchFound, withParams, type BaseRoute, type RouteMatch } from './base';
import { PathPattern } from './path-pattern';
import { Router } from './router';

export interface MountOptions {
  /** Names the mount: its routes are reversed as `'name:route'`. */
  name?: string;
}

/**
 * Serve a whole app (or a list of routes) under a path prefix. The matched prefix moves from
 * `scope.path` to `scope.rootPath`, so the mounted app sees paths relative to itself. The prefix
 * may hold parameters (`/orgs/:org`). `/prefix` alone does not match: with `redirectSlashes` the
 * router sends the client to `/prefix/`.
 *
 * @example
 * new Mount('/api', [new Route('/notes', listNotes, { name: 'notes' })], { name: 'api' });
 * // urlPathFor('api:notes') === '/api/notes'
 */
export class Mount implements BaseRoute {
  readonly path: string;
  readonly app: GatewayApp;
  readonly name: string | undefined;
  readonly pattern: PathPattern;

  constructor(path: string, app: GatewayApp | readonly BaseRoute[], options: MountOptions = {}) {
    checkPath(path, 'new Mount(path, app)', true);
    const where = `new Mount('${path}', app`;
    const { name } = checkOptions<MountOptions>(options, `${where}, options)`, { name: true });
    checkString(name, `${where}, { name })`);
    this.path = path.replace(/\/+$/, '');
    this.app = isRoutes(app) ? new Router({ routes: [...checkRoutes(app, `${where})`)] }) : checkApp(app, where);
    this.name = name;
    this.pattern = new PathPattern(this.path, { prefix: true });
  }

  get firstSegment(): string | undefined {
    return this.path === '' ? undefined : this.pattern.firstSegment;
  }

  /** The routes of the mounted app, when it is a Router (or an App). */
  get routes(): readonly BaseRoute[] {
    return (this.app as { routes?: readonly BaseRoute[] }).routes ?? [];
  }

  matches(scope: ConnectionScope): RouteMatch | null {
    const found = this.pattern.match(scope.path);
    if (found === null) return null;
    const rest = scope.path.slice(found.matched.length);
    if (rest === '') return null;
    return {
      kind: 'full',
      child: { path: rest, rootPath: scope.rootPath + found.matched, pathParams: withParams(scope, found.params) },
    };
  }

  handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    return this.app(scope, receive, send);
  }

  urlPathFor(name: string, params: Record<string, string | number>): string {
    const own: Record<string, string | number> = {};
    const rest: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(params)) (this.pattern.paramNames.includes(key) ? own : rest)[key] = value;
    let childName: string;
    if (this.name === undefined) childName = name;
    else if (name.startsWith(`${this.name}:`)) childName = name.slice(this.name.length + 1);
    else if (name === this.name && typeof rest['path'] === 'string' && Object.keys(rest).length === 1) {
      // The mount itself: `path` is the path inside it.
      return this.#prefix(name, params, own) + ensureSlash(rest['path']);
    } else throw new NoMatchFound(name, params);
    const reverser = this.app as Partial<RouteReverser>;
    if (typeof reverser.urlPathFor !== 'function') throw new NoMatchFound(name, params);
    let childPath: string;
    try {
      childPath = reverser.urlPathFor(childName, rest);
    } catch (error) {
      if (error instanceof NoMatchFound) throw new NoMatchFound(name, params, error.reasons);
      throw error;
    }
    return this.#prefix(name, params, own) + childPath;
  }

  #prefix(name: string, params: Record<string, string | number>, own: Record<string, string | number>): string {
    try {
      return this.pattern.format(own);
    } catch (error) {
      throw new NoMatchFound(name, params, [`mount '${this.path}': ${(error as Error).message}`]);
    }
  }
}

function isRoutes(app: GatewayApp | readonly BaseRoute[]): app is readonly BaseRoute[] {
  return Array.isArray(app);
}

/**
 * What a Mount serves is called on every request under it, so it must be a protocol app. Starlette's
 * `Mount(path, routes=[...])` is written `new Mount(path, [...])` here: `{ routes }` is refused
 * with that advice rather than accepted as a second spelling of the array.
 */
function checkApp(app: unknown, where: string): GatewayApp {
  if (typeof app === 'function' && !isClass(app)) return app as GatewayApp;
  const hint = isOptionsObject(app) && 'routes' in app ? `; for Starlette's Mount(path, routes=[...]) pass the array itself: ${where.replace(/, app$/, ', [...routes])')}` : '';
  throw new TypeError(`${where}) takes a protocol app (a function (scope, receive, send), such as an App, a Router or a StaticFiles) or an array of routes, got ${describeValue(app)}${hint}`);
}

function ensureSlash(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
