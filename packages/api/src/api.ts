import {
  App,
  AppStartedError,
  HTTPException as FrameworkHTTPException,
  JSONResponse,
  Mount,
  ProtocolApp,
  Response,
  type AppOptions,
  type BaseRoute,
  type ErrorClass,
  type ExceptionHandler,
  type ExceptionHandlers,
  type Handler,
  type Lifespan,
  type MiddlewareEntry,
  type MountOptions,
  type PathParams,
  type RequestMiddleware,
  type RouteOptions,
} from '@portico/framework';
import type { App as GatewayApp, Receive, Scope, Send } from '@portico/protocol';
import type { z } from 'zod';
import { docsRoutes } from './api-docs-routes';
import { specsOf, type ApiRouter } from './api-router';
import type { ApiInfo, DependencyDeclaration, EndpointDefinition, Method, ResponseDeclaration, ResponseValidation } from './definition';
import { LifespanDependencies, type Dependency, type DependenciesOption, type DependencyOverrides } from './dependencies';
import { Endpoint } from './endpoint';
import { EndpointRoute } from './endpoint-route';
import { buildGroup, buildSpec, underGroup, type EndpointSpec, type Group } from './endpoint-spec';
import { DuplicateOperationIdError } from './exceptions';
import { defaultOperationId, fallbackOperationId } from './operation-id';
import type { EndpointMethod } from './types';
import { describeValue } from './validation';

export interface ApiOptions extends Omit<AppOptions, 'lifespan'> {
  /** The document's title (default 'Portico API'). */
  title?: string;
  /** The API's version, not OpenAPI's (default '0.1.0'). */
  version?: string;
  description?: string;
  servers?: ApiInfo['servers'];
  /** Swagger UI; `null` switches it off. Default '/docs'. */
  docsUrl?: string | null;
  /** ReDoc; `null` switches it off. Default '/redoc'. */
  redocUrl?: string | null;
  /** The OpenAPI document; `null` switches it (and the docs) off. Default '/openapi.json'. */
  openapiUrl?: string | null;
  /** Default for every endpoint: 'strict' (values sent are what the response schema parses) or 'off'. */
  responseValidation?: ResponseValidation;
  /** Documented on every endpoint; an endpoint's own entry for a status wins. */
  responses?: Readonly<Record<number, z.ZodType | ResponseDeclaration>>;
  /** Resolved before every endpoint's own, for their effect. */
  dependencies?: DependenciesOption;
  /** Added before every endpoint's tags. */
  tags?: readonly string[];
  /** As the App's; it gets the Api. Lifespan dependencies are created after it and disposed before its cleanup. */
  lifespan?: Lifespan<Api<unknown>>;
}

/** Every HTTPException as JSON `{ "detail": ... }`, as FastAPI answers them. */
const httpExceptionAsJson: ExceptionHandler<FrameworkHTTPException> = (_request, error) => {
  if (error.statusCode === 204 || error.statusCode === 304) return new Response(null, { status: error.statusCode, headers: error.headers });
  return new JSONResponse({ detail: error.detail }, { status: error.statusCode, headers: error.headers });
};

function withJsonErrors(user: ExceptionHandlers | undefined): Map<number | ErrorClass, ExceptionHandler<never>> {
  const handlers = new Map<number | ErrorClass, ExceptionHandler<never>>([[FrameworkHTTPException, httpExceptionAsJson as ExceptionHandler<never>]]);
  if (user instanceof Map) for (const [key, handler] of user) handlers.set(key, handler);
  else if (user) for (const [status, handler] of Object.entries(user)) handlers.set(Number(status), handler as ExceptionHandler<never>);
  return handlers;
}

function nullableUrl(value: unknown, fallback: string, key: string): string | null {
  if (value === undefined) return fallback;
  if (value === null || (typeof value === 'string' && value.startsWith('/'))) return value;
  throw new TypeError(`new Api({ ${key} }) takes a path starting with '/' or null (off), got ${describeValue(value)}`);
}

/**
 * The FastAPI role: endpoints whose path, query, headers, cookies and body are validated with zod
 * and typed by inference, dependencies, security schemes, an OpenAPI document and docs. It is a
 * framework App inside (`api.app`), so middleware, lifespan, exception handlers, mounts and
 * `urlPathFor` work as there; and it is a protocol app itself: `export const app = api` is
 * served by `portico serve`.
 *
 * Chain the registrations (`api.get(...).post(...)`) when you want the typed client: each returns
 * the Api with one more route in its type.
 *
 * @example
 * const Item = z.object({ id: z.number(), name: z.string() });
 * export const app = new Api({ title: 'Shop', version: '1.0.0' })
 *   .get('/items/:id<int>', { responses: { 200: Item } }, ({ params }) => ({ id: params.id, name: 'Pen' }))
 *   .post('/items', { body: Item.omit({ id: true }), status: 201, responses: { 201: Item } }, ({ body }) => ({ id: 2, ...body }));
 */
export class Api<Routes = never> extends ProtocolApp {
  /** Type only: the route table, for `createClient<typeof api>()`. */
  declare readonly '~routes': Routes;
  /** The framework App serving the routes. */
  readonly app: App;
  readonly info: ApiInfo;
  readonly openapiUrl: string | null;
  readonly docsUrl: string | null;
  readonly redocUrl: string | null;
  readonly responseValidation: ResponseValidation;
  /**
   * Test doubles: `api.dependencyOverrides.set(getUser, () => fakeUser)`, keyed by the function
   * given to `depends()` or by the Dependency (a security scheme, say).
   */
  readonly dependencyOverrides: DependencyOverrides = new Map();
  /** The values of `scope: 'lifespan'` dependencies, between startup and shutdown. */
  readonly lifespanDependencies: LifespanDependencies = new LifespanDependencies();
  readonly #group: Group;
  readonly #endpoints: Endpoint[] = [];
  readonly #paths = new Map<string, EndpointRoute>();
  readonly #operationIds = new Map<string, { label: string; explicit: boolean }>();
  #started = false;

  readonly get: EndpointMethod<'GET', 'api', '', Routes> = this.#method('GET');
  readonly post: EndpointMethod<'POST', 'api', '', Routes> = this.#method('POST');
  readonly put: EndpointMethod<'PUT', 'api', '', Routes> = this.#method('PUT');
  readonly patch: EndpointMethod<'PATCH', 'api', '', Routes> = this.#method('PATCH');
  readonly delete: EndpointMethod<'DELETE', 'api', '', Routes> = this.#method('DELETE');
  readonly head: EndpointMethod<'HEAD', 'api', '', Routes> = this.#method('HEAD');
  readonly options: EndpointMethod<'OPTIONS', 'api', '', Routes> = this.#method('OPTIONS');

  constructor(options: ApiOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError(`new Api(options) takes an object, got ${describeValue(options)}`);
    const { title, version, description, servers, docsUrl, redocUrl, openapiUrl, responseValidation, responses, dependencies, tags, lifespan, exceptionHandlers, ...appOptions } = options;
    if (title !== undefined && typeof title !== 'string') throw new TypeError(`new Api({ title }) takes a string, got ${describeValue(title)}`);
    if (version !== undefined && typeof version !== 'string') throw new TypeError(`new Api({ version }) takes a string, got ${describeValue(version)}`);
    if (responseValidation !== undefined && responseValidation !== 'strict' && responseValidation !== 'off') {
      throw new TypeError(`new Api({ responseValidation }) takes 'strict' or 'off', got ${describeValue(responseValidation)}`);
    }
    this.info = {
      title: title ?? 'Portico API',
      version: version ?? '0.1.0',
      ...(description !== undefined && { description }),
      ...(servers !== undefined && { servers }),
    };
    this.openapiUrl = nullableUrl(openapiUrl, '/openapi.json', 'openapiUrl');
    this.docsUrl = nullableUrl(docsUrl, '/docs', 'docsUrl');
    this.redocUrl = nullableUrl(redocUrl, '/redoc', 'redocUrl');
    this.responseValidation = responseValidation ?? 'strict';
    this.#group = buildGroup({ tags, dependencies, responses }, 'new Api');
    const docs = docsRoutes({ info: this.info, endpoints: () => this.endpoints, openapiUrl: this.openapiUrl, docsUrl: this.docsUrl, redocUrl: this.redocUrl });
    this.app = new App({
      ...appOptions,
      routes: [...docs, ...(appOptions.routes ?? [])],
      exceptionHandlers: withJsonErrors(exceptionHandlers),
      lifespan: () => this.#lifespan(lifespan),
    });
  }

  /** Every registered endpoint, prefixes, tags, responses and dependencies merged in: what the OpenAPI document is built from. */
  get endpoints(): readonly EndpointDefinition[] {
    return this.#endpoints.map((endpoint) => endpoint.definition);
  }

  /**
   * Add the endpoints of an ApiRouter (registered so far).
   *
   * @example
   * api.include(new ApiRouter({ prefix: '/users', tags: ['users'] }).get('/:id<int>', {}, ({ params }) => users.get(params.id)));
   */
  include<Included>(router: ApiRouter<string, Included>): Api<Routes | Included> {
    for (const spec of specsOf(router)) this.#add(spec);
    return this as never;
  }

  /** A middleware, inside those already added (as `App.use`). */
  use(middleware: MiddlewareEntry | RequestMiddleware): this {
    this.app.use(middleware);
    return this;
  }

  /**
   * A whole protocol app (a StaticFiles, another Api, a framework App) under a path prefix.
   *
   * @example
   * api.mount('/static', new StaticFiles({ directory: 'public' }), { name: 'static' });
   */
  mount(path: string, app: GatewayApp | readonly BaseRoute[], options?: MountOptions): this {
    this.#assertNotStarted(`the mount at ${path}`);
    this.app.router.add(new Mount(path, app, options));
    return this;
  }

  /** A plain framework route (a handler of the Request returning a Response), outside validation and the OpenAPI document. */
  route<Path extends string>(path: Path, handler: Handler<PathParams<Path>>, options?: RouteOptions): this {
    this.app.route(path, handler, options);
    return this;
  }

  /** The path of a named route (an endpoint's name is its `name` option, else its operationId); throws NoMatchFound. */
  urlPathFor(name: string, params: Record<string, string | number> = {}): string {
    return this.app.urlPathFor(name, params);
  }

  handle(scope: Scope, receive: Receive, send: Send): Promise<void> {
    this.#started = true;
    return this.app(scope, receive, send);
  }

  async #lifespan(user: Lifespan<Api<unknown>> | undefined): Promise<{ state?: Record<string, unknown>; cleanup: () => Promise<void> }> {
    this.#started = true;
    const result = (await user?.(this)) ?? undefined;
    const state = result?.state ?? {};
    try {
      await this.lifespanDependencies.start(this.#allDependencies(), state, this.dependencyOverrides);
    } catch (error) {
      await this.lifespanDependencies.stop().catch(() => undefined);
      await result?.cleanup?.();
      throw error;
    }
    return {
      ...(result?.state !== undefined && { state: result.state }),
      cleanup: async () => {
        try {
          await this.lifespanDependencies.stop();
        } finally {
          await result?.cleanup?.();
        }
      },
    };
  }

  *#allDependencies(): Generator<Dependency<unknown>> {
    for (const endpoint of this.#endpoints) yield* Object.values(endpoint.definition.dependencies as Readonly<Record<string, Dependency<unknown>>>);
  }

  #method(method: Method): never {
    return ((path: unknown, options: unknown, handler: unknown) => {
      this.#add(buildSpec(method, path, options, handler));
      return this;
    }) as never;
  }

  #add(given: EndpointSpec): void {
    this.#assertNotStarted(`${given.method} ${given.path}`);
    const spec = underGroup(given, this.#group);
    const definition: EndpointDefinition = {
      method: spec.method,
      path: spec.path,
      ...(spec.params && { params: spec.params }),
      ...(spec.query && { query: spec.query }),
      ...(spec.headers && { headers: spec.headers }),
      ...(spec.cookies && { cookies: spec.cookies }),
      ...(spec.body && { body: spec.body }),
      responses: spec.responses,
      status: spec.status,
      tags: spec.tags,
      ...(spec.summary !== undefined && { summary: spec.summary }),
      ...(spec.description !== undefined && { description: spec.description }),
      operationId: this.#claimOperationId(spec),
      deprecated: spec.deprecated,
      dependencies: mergeDependencies(spec),
      responseValidation: spec.responseValidation ?? this.responseValidation,
      includeInSchema: spec.includeInSchema,
    };
    const endpoint = new Endpoint(definition, spec);
    let route = this.#paths.get(spec.path);
    if (route === undefined) {
      route = new EndpointRoute(spec.path, this);
      route.add(endpoint);
      this.app.router.add(route);
      this.#paths.set(spec.path, route);
    } else route.add(endpoint);
    this.#endpoints.push(endpoint);
  }

  #claimOperationId(spec: EndpointSpec): string {
    const label = `${spec.method} ${spec.path}`;
    if (spec.operationId !== undefined) {
      const taken = this.#operationIds.get(spec.operationId);
      if (taken) {
        throw new DuplicateOperationIdError(
          `operationId '${spec.operationId}' of ${label} is already used by ${taken.label}${taken.explicit ? '' : ' (its default id)'}: operationIds are unique; give one of them another operationId`,
        );
      }
      this.#operationIds.set(spec.operationId, { label, explicit: true });
      return spec.operationId;
    }
    let id = defaultOperationId(spec.method, spec.path);
    if (this.#operationIds.has(id)) id = fallbackOperationId(spec.method, spec.path);
    for (let n = 2; this.#operationIds.has(id); n++) id = `${fallbackOperationId(spec.method, spec.path)}${n}`;
    this.#operationIds.set(id, { label, explicit: false });
    return id;
  }

  #assertNotStarted(what: string): void {
    if (this.#started) throw new AppStartedError(`${what} was added after the Api started serving: register endpoints, routers and mounts before the first request (or before TestClient.start())`);
  }
}

/** The dependencies of an endpoint for the document: the groups' then its own, a name taken twice by different dependencies kept under `name#2`. */
function mergeDependencies(spec: EndpointSpec): Readonly<Record<string, DependencyDeclaration>> {
  const merged: Record<string, Dependency<unknown>> = {};
  for (const group of [...spec.outer, spec.dependencies]) {
    for (const [name, dependency] of Object.entries(group)) {
      let key = name;
      for (let n = 2; merged[key] !== undefined && merged[key] !== dependency; n++) key = `${name}#${n}`;
      merged[key] = dependency;
    }
  }
  return merged;
}
