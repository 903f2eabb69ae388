import type { App as GatewayApp, LifespanReceive, LifespanSend, Receive, Scope, Send } from '@portico/protocol';
import { checkBodyLimit, DEFAULT_BODY_LIMIT } from './body-limit';
import type { ConnectionScope, ServingApp } from './connection';
import { AppStartedError } from './exceptions';
import { runLifespan, type Lifespan } from './lifespan';
import { errorLayers, ExceptionHandlerTable, exceptionLayer, serverErrorLayer, type ExceptionHandlers } from './middleware/exception-handlers';
import { httpMiddleware, type RequestMiddleware } from './middleware/http-middleware';
import type { MiddlewareEntry } from './middleware/middleware';
import { ProtocolApp } from './protocol-app';
import type { BaseRoute } from './routing/base';
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
  readonly #exceptionHandlers: ExceptionHandlers | undefined;
  readonly #lifespan: Lifespan<App> | undefined;
  #stack: GatewayApp | undefined;

  constructor(options: AppOptions = {}) {
    super();
    this.debug = options.debug ?? false;
    this.bodyLimit = options.bodyLimit === undefined ? DEFAULT_BODY_LIMIT : checkBodyLimit(options.bodyLimit, 'App bodyLimit');
    this.router = new Router({ routes: options.routes ?? [], redirectSlashes: options.redirectSlashes ?? true });
    this.#middleware = [...(options.middleware ?? [])];
    this.#exceptionHandlers = options.exceptionHandlers;
    this.#lifespan = options.lifespan;
  }

  get routes(): readonly BaseRoute[] {
    return this.router.routes;
  }

  /** Add a route answering `GET` (and HEAD). */
  get<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...options, methods: ['GET'] });
  }

  post<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...options, methods: ['POST'] });
  }

  put<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...options, methods: ['PUT'] });
  }

  patch<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...options, methods: ['PATCH'] });
  }

  delete<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: NameOption): this {
    return this.route(path, handler, { ...options, methods: ['DELETE'] });
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
        return runLifespan(scope, receive as LifespanReceive, send as LifespanSend, lifespan && (() => lifespan(this)));
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
    const table = new ExceptionHandlerTable(this.#exceptionHandlers, this.debug);
    if (this.#middleware.length === 0) return errorLayers(this.router, table);
    let app: GatewayApp = exceptionLayer(this.router, table);
    for (let i = this.#middleware.length - 1; i >= 0; i--) app = this.#middleware[i]!.wrap(app);
    return serverErrorLayer(app, table);
  }

  #assertNotStarted(what: string): void {
    if (this.#stack) {
      throw new AppStartedError(`${what} was added after the app started serving: configure routes and middleware before the first request (or before TestClient.start())`);
    }
  }
}
