/**
 * What an HTTP request and a WebSocket have in common: URL, headers, query, path parameters,
 * cookies, client and state, each read from the scope lazily and cached. Request extends it
 * (and the WebSocket class will).
 */
import type { Address, HttpScope, State, WebSocketScope } from '@portico/protocol';
import { parseCookies } from './cookies';
import { Headers, QueryParams, URL } from './datastructures';
import type { PathParamsRecord } from './routing/path-pattern';

/** Builds paths from route names: the App (or a Router) serving the connection. */
export interface RouteReverser {
  urlPathFor(name: string, params?: Record<string, string | number>): string;
}

/** The App serving a connection, as the connection sees it: it reverses routes and caps buffered body reads. */
export interface ServingApp extends RouteReverser {
  /** The default limit of `request.body()`, `text()`, `json()` and urlencoded `form()`, in bytes. */
  readonly bodyLimit?: number;
}

/**
 * Keys the framework adds to a connection scope on its way to a handler. Optional middleware add
 * their own key from their module by declaration merging, so this base knows none of them:
 *
 * @example
 * declare module '../connection' {
 *   interface FrameworkScopeKeys { session?: Session }
 *   interface HTTPConnection<Params extends object = PathParamsRecord> { readonly session: Session }
 * }
 * defineScopeAccessor('session', 'SessionMiddleware', '{ secretKey }');
 */
export interface FrameworkScopeKeys {
  /** The App serving this scope (set on entry, like Starlette's `scope["app"]`). */
  app?: ServingApp;
  /** `rootPath` where that App sits, the base of `urlFor`. */
  appRootPath?: string;
  /** Parameters matched along the way (Mounts and the Route), converted. */
  pathParams?: PathParamsRecord;
}

export type ConnectionScope = (HttpScope | WebSocketScope) & FrameworkScopeKeys;

/** The base of Request (and WebSocket): a view over one connection scope. */
export class HTTPConnection<Params extends object = PathParamsRecord> {
  readonly scope: ConnectionScope;
  #url: URL | undefined;
  #headers: Headers | undefined;
  #queryParams: QueryParams | undefined;
  #cookies: Record<string, string> | undefined;

  constructor(scope: ConnectionScope) {
    this.scope = scope;
  }

  /** The URL the client asked for (`rootPath + path`, query included). */
  get url(): URL {
    return (this.#url ??= URL.fromScope(this.scope));
  }

  /** The URL of the App's root, with a trailing slash. */
  get baseUrl(): URL {
    const root = this.scope.appRootPath ?? this.scope.rootPath;
    return this.url.replace({ path: root.endsWith('/') ? root : `${root}/`, query: '' });
  }

  /** Request headers, case-insensitive; `getAll` for repeated ones. */
  get headers(): Headers {
    return (this.#headers ??= new Headers(this.scope.headers));
  }

  get queryParams(): QueryParams {
    return (this.#queryParams ??= new QueryParams(this.scope.queryString));
  }

  /** The path parameters of the matched route, converted (`:id<int>` gives a number). */
  get pathParams(): Params {
    return (this.scope.pathParams ?? {}) as Params;
  }

  get cookies(): Record<string, string> {
    return (this.#cookies ??= parseCookies(this.headers.getAll('cookie')));
  }

  /** The peer's address, or null when the transport has none. */
  get client(): Address | null {
    return this.scope.client;
  }

  /** A shallow copy of the lifespan state, per request: writes stay with this request. */
  get state(): State {
    return this.scope.state;
  }

  /** The App serving this connection. */
  get app(): RouteReverser {
    if (this.scope.app === undefined) throw new Error('this connection is not served by a Portico App, so it has no app (and no urlFor)');
    return this.scope.app;
  }

  /**
   * The absolute URL of a named route (through Mounts: `'api:note'`).
   *
   * @example
   * request.urlFor('note', { id: 7 }).href; // 'http://testserver/notes/7'
   */
  urlFor(name: string, params?: Record<string, string | number>): URL {
    const root = this.scope.appRootPath ?? this.scope.rootPath;
    return this.url.replace({ path: root + this.app.urlPathFor(name, params), query: '' });
  }
}

/**
 * Give every connection a getter for the scope key a middleware sets (its module declares the types
 * by augmenting FrameworkScopeKeys and HTTPConnection); read without that middleware, it throws an
 * error saying which middleware to add.
 */
export function defineScopeAccessor(key: keyof FrameworkScopeKeys, middleware: string, options: string): void {
  Object.defineProperty(HTTPConnection.prototype, key, {
    configurable: true,
    get(this: HTTPConnection): unknown {
      return this.scope[key] ?? missing(`request.${key}`, middleware, options);
    },
  });
}

function missing(what: string, middleware: string, options: string): never {
  throw new Error(`${what} needs ${middleware}: add new Middleware(${middleware}, ${options}) to the app`);
}
