import { channels, type App as GatewayApp, type Receive, type Scope, type Send } from '@portico/protocol';
import { checkBoolean, checkFunction, checkOptions, describeValue, isClass, isOptionsObject } from './arguments';
import { checkBodyLimit, DEFAULT_BODY_LIMIT } from './body-limit';
import type { ConnectionScope, ServingApp } from './connection';
import { AppStartedError } from './exceptions';
import { runLifespan, type Lifespan } from './lifespan';
import { handlerAndMiddlewareErrorLayer, handlerErrorLayer, middlewareErrorLayer } from './middleware/error-layers';
import { ExceptionHandlerTable, type ExceptionHandlers } from './middleware/exception-handlers';
import { httpMiddleware, type RequestMiddleware } from './middleware/http-middleware';
import { checkMiddlewareEntry, type MiddlewareEntry, type MiddlewareFactory } from './middleware/middleware';
import { ProtocolApp } from './protocol-app';
import { checkRoutes, type BaseRoute } from './routing/base';
import type { PathParams } from './routing/path-params';
import { Route, type Handler, type RouteOptions } from './routing/route';
import { Router } from './routing/router';
import { WebSocketRoute, type WebSocketEndpointClass, type WebSocketHandler, type WebSocketRouteOptions } from './routing/websocket-route';

export interface AppOptions {
  routes?: readonly BaseRoute[];
  /** Outermost first: the first entry sees the request first and the response last. */
  middleware?: readonly MiddlewareEntry[];
  /** `{ 404: handler }` or a Map keyed by status code or error class. */
  exceptionHandlers?: ExceptionHandlers;
  /** Runs at startup; what it returns as `state` every request sees as `request.state`. */
  lifespan?: Lifespan<App>;
  /** Answer unexpected errors with a page showing the stack. Never in production. */
  debug?: boolean;
  /** Redirect `/path/` to `/path` (and back) when only the other exists. Default true. */
  redirectSlashes?: boolean;
  /**
   * The most bytes `request.body()`, `text()`, `json()` and urlencoded `form()` read (more is a
   * 413); a call's `{ limit }` overrides it. Default 1 MiB; `Infinity` for none. `request.stream()`
   * and multipart files are bounded by the server and the upload limits instead.
   */
  bodyLimit?: number;
}

type NameOption = Omit<RouteOptions, 'methods'>;

/** Every option of AppOptions, for the unknown-key check. */
const APP_OPTIONS: Record<keyof AppOptions, true> = { routes: true, middleware: true, exceptionHandlers: true, lifespan: true, debug: true, redirectSlashes: true, bodyLimit: true };

/** The options of `app.get(path, handler, options)` and the like, checked before they are spread. */
function named(options: NameOption | undefined, method: string): NameOption | undefined {
  if (options === undefined || isOptionsObject(options)) return options;
  throw new TypeError(`app.${method}(path, handler, options) takes an options object { name }, got ${describeValue(options)}`);
}

/**
 * The application: routes, middleware, exception handlers and lifespan, and itself a protocol
 * app that any Portico host serves. The stack is built once, on the first call:
 * last-resort error layer → user middleware → exception handlers → router. Configure it before
 * that; afterwards `use()` and route methods throw AppStartedError.
 *
 * @example
 * const app = new App({ debug: true });
 * app.get('/notes/:id<int>', (request) => new JSONResponse({ id: request.pathParams.id }));
 * // serve it: npx portico serve app.ts
 */
export class App extends ProtocolApp implements ServingApp {
  readonly router: Router;
  readonly debug: boolean;
  /** The default limit of buffered body reads, in bytes (`AppOptions.bodyLimit`). */
  readonly bodyLimit: number;
  readonly #middleware: MiddlewareEntry[];
  readonly #exceptionHandlers: ExceptionHandlerTable;
  readonly #lifespan: Lifespan<App> | undefined;
  #stack: GatewayApp | undefined;

  constructor(options: AppOptions = {}) {
    super();
    const { routes = [], middleware = [], exceptionHandlers, lifespan, debug, redirectSlashes, bodyLimit } = checkOptions<AppOptions>(options, 'new App(options)', APP_OPTIONS);
    this.debug = checkBoolean(debug, 'new App({ debug })') ?? false;
    this.bodyLimit = bodyLimit === undefined ? DEFAULT_BODY_LIMIT : checkBodyLimit(bodyLimit, 'App bodyLimit');
    this.router = new Router({ routes: checkRoutes(routes, 'new App({ routes })'), redirectSlashes: checkBoolean(redirectSlashes, 'new App({ redirectSlashes })') ?? true });
    if (!Array.isArray(middleware)) throw new TypeError(`new App({ middleware }) takes an array of new Middleware(factory, options) entries, got ${describeValue(middleware)}`);
    middleware.forEach((entry: unknown, index) => checkMiddlewareEntry(entry, `new App({ middleware }): middleware[${index}]`));
    this.#middleware = [...middleware];
    // Built now, not with the stack, so a wrong handler or key fails here rather than on the first request.
    this.#exceptionHandlers = new ExceptionHandlerTable(exceptionHandlers, this.debug);
    checkFunction(lifespan, 'new App({ lifespan })', 'a function (app) => { state, cleanup } (or a promise of it)');
    this.#lifespan = lifespan;
  }

  get routes(): readonly BaseRoute[] {
    return this.router.routes;
  }

  /** Add a route answering `GET` (and HEAD). */
  get<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...named(options, 'get'), methods: ['GET'] });
  }

  post<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...named(options, 'post'), methods: ['POST'] });
  }

  put<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...named(options, 'put'), methods: ['PUT'] });
  }

  patch<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...named(options, 'patch'), methods: ['PATCH'] });
  }

  delete<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...named(options, 'delete'), methods: ['DELETE'] });
  }

  /**
   * Add a route (`methods` default `['GET']`).
   *
   * @example
   * app.route('/notes', listOrCreate, { methods: ['GET', 'POST'], name: 'notes' });
   */
  route<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: RouteOptions): this {
    this.#assertNotStarted('a route');
    this.router.add(new Route(path, handler, options));
    return this;
  }

  /**
   * Add a WebSocket route: a handler function or a WebSocketEndpoint class.
   *
   * @example
   * app.websocket('/echo', async (websocket) => {
   *   await websocket.accept();
   *   for await (const text of websocket.iterText()) await websocket.sendText(text);
   * });
   */
  websocket<Path extends string>(
    path: Path,
    handler: WebSocketHandler<PathParams<Path>> | WebSocketEndpointClass<PathParams<Path>>,
    options?: WebSocketRouteOptions,
  ): this {
    this.#assertNotStarted('a websocket route');
    this.router.add(new WebSocketRoute(path, handler, options));
    return this;
  }

  /**
   * Add a middleware inside those already added: a `Middleware` entry, or a
   * `(request, next) => response` function.
   */
  use(middleware: MiddlewareEntry | RequestMiddleware): this {
    this.#assertNotStarted('middleware');
    if (typeof middleware !== 'function') checkMiddlewareEntry(middleware, 'app.use(middleware): middleware');
    else if (typeof (middleware as Partial<MiddlewareFactory<unknown>>).checkOptions === 'function' || middleware instanceof ProtocolApp || isClass(middleware)) {
      const hint = middleware instanceof ProtocolApp || isClass(middleware) ? '' : `: a middleware factory goes in app.use(new Middleware(${middleware.name || 'factory'}, options))`;
      throw new TypeError(`app.use(middleware) takes a new Middleware(factory, options) or a (request, next) => Response function, got ${describeValue(middleware)}${hint}`);
    }
    this.#middleware.push(typeof middleware === 'function' ? httpMiddleware(middleware) : middleware);
    return this;
  }

  /** The path of a named route (`'mount:route'` through named Mounts); throws NoMatchFound. */
  urlPathFor(name: string, params: Record<string, string | number> = {}): string {
    return this.router.urlPathFor(name, params);
  }

  // Not async: the stack's own promise is returned as it is, without another async frame per request.
  handle(scope: Scope, receive: Receive, send: Send): Promise<void> {
    try {
      const stack = (this.#stack ??= this.#build());
      if (scope.type === 'lifespan') {
        const lifespan = this.#lifespan;
        return runLifespan(scope, channels(scope, receive, send).receive, send, lifespan && (() => lifespan(this)));
      }
      const connection = scope as ConnectionScope;
      connection.app = this;
      connection.appRootPath = scope.rootPath;
      return stack(scope, receive, send);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  #build(): GatewayApp {
    const table = this.#exceptionHandlers;
    if (this.#middleware.length === 0) return handlerAndMiddlewareErrorLayer(this.router, table);
    let app: GatewayApp = handlerErrorLayer(this.router, table);
    for (let i = this.#middleware.length - 1; i >= 0; i--) app = this.#middleware[i]!.wrap(app);
    return middlewareErrorLayer(app, table);
  }

  #assertNotStarted(what: string): void {
    if (this.#stack) {
      throw new AppStartedError(`${what} was added after the app started serving: configure routes and middleware before the first request (or before TestClient.start())`);
    }
  }
}
