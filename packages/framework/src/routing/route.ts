import { channels, type HttpScope, type Receive, type Send } from '@portico/protocol';
import { checkOptions, checkString, describeValue, isClass } from '../arguments';
import type { ConnectionScope } from '../connection';
import { HTTPException } from '../exceptions';
import { ProtocolApp } from '../protocol-app';
import { Request } from '../requests';
import { Response } from '../responses/response';
import { PlainTextResponse } from '../responses/text';
import { checkPath, reversePattern, withParams, type BaseRoute, type RouteMatch } from './base';
import type { PathParams } from './path-params';
import { PathPattern } from './path-pattern';

/** A request handler: gets the Request (path parameters typed from the path), returns a Response. */
export type Handler<Params extends object = Record<string, string | number>> = (request: Request<Params>) => Response | Promise<Response>;

export interface RouteOptions {
  /** Default `['GET']`; a GET route answers HEAD too. */
  methods?: readonly string[];
  /** For `urlPathFor`; defaults to the handler function's name. */
  name?: string;
}

/**
 * One path and its handler. Parameters use path-to-regexp syntax with optional converters
 * (`:id<int>`, `:price<float>`, `:key<uuid>`, `*rest`); a value that does not convert means
 * "not this route".
 *
 * @example
 * new Route('/notes/:id<int>', async (request) => new JSONResponse(await notes.get(request.pathParams.id)), { name: 'note' });
 */
export class Route<Path extends string = string> implements BaseRoute {
  readonly path: Path;
  readonly handler: Handler<PathParams<Path>>;
  readonly methods: ReadonlySet<string>;
  readonly name: string | undefined;
  readonly pattern: PathPattern;
  readonly #allow: string;

  constructor(path: Path, handler: Handler<PathParams<Path>>, options: RouteOptions = {}) {
    checkPath(path, 'new Route(path, handler)');
    const where = `new Route('${path}', handler`;
    checkHandler(handler, `${where})`);
    const { methods: given = ['GET'], name } = checkOptions<RouteOptions>(options, `${where}, options)`, { methods: true, name: true });
    checkMethods(given, `${where}, { methods })`);
    checkString(name, `${where}, { name })`);
    this.path = path;
    this.handler = handler;
    this.pattern = new PathPattern(path);
    const methods = new Set(given.map((method) => method.toUpperCase()));
    if (methods.has('GET')) methods.add('HEAD');
    this.methods = methods;
    this.#allow = [...methods].join(', ');
    this.name = name ?? (handler.name || undefined);
  }

  get firstSegment(): string | undefined {
    return this.pattern.firstSegment;
  }

  matches(scope: ConnectionScope): RouteMatch | null {
    if (scope.type !== 'http') return null;
    const params = this.pattern.params(scope.path);
    if (params === null) return null;
    return { kind: this.methods.has(scope.method) ? 'full' : 'partial', child: { pathParams: withParams(scope, params) } };
  }

  // Not async: a handler that returns its response directly is answered without a frame of its own.
  handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    if (scope.type !== 'http') return Promise.reject(new TypeError(`a Route serves http scopes, not '${scope.type}'`));
    if (!this.methods.has(scope.method)) {
      // Inside an App the exception layer answers, so a 405 handler can shape it.
      if (scope.app !== undefined) return Promise.reject(new HTTPException(405, undefined, { allow: this.#allow }));
      return new PlainTextResponse('Method Not Allowed', { status: 405, headers: { allow: this.#allow } }).handle(scope, receive, send);
    }
    const request = new Request(scope, channels(scope, receive, send).receive) as Request<PathParams<Path>>;
    let result: unknown;
    try {
      result = this.handler(request);
    } catch (error) {
      result = Promise.reject(error as Error);
    }
    if (result instanceof Response && !request.formRequested) return result.handle(scope, request.responseReceive, send);
    return this.#answer(scope, request, result, send);
  }

  /** The general path: await the handler's promise, send its response, release an uploaded form. */
  async #answer(scope: HttpScope, request: Request<PathParams<Path>>, result: unknown, send: Send): Promise<void> {
    try {
      const response = await result;
      if (!(response instanceof Response)) {
        throw new TypeError(
          `the handler of ${scope.method} ${this.path} returned ${describe(response)} instead of a Response: return one, e.g. new JSONResponse(data)`,
        );
      }
      // The response watches for the client leaving without taking the body from its readers.
      await response.handle(scope, request.responseReceive, send);
    } finally {
      // Uploaded files go when the request ends, even when it failed; without a form there is nothing to wait for.
      if (request.formRequested) await request.close();
    }
  }

  urlPathFor(name: string, params: Record<string, string | number>): string {
    return reversePattern(this, name, params);
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'undefined (did you forget to return the response?)' : describeValue(value);
}

/** A handler is a plain function; a response, an app or a class given in its place is refused with what to write instead. */
function checkHandler(handler: unknown, where: string): void {
  let hint = '';
  if (handler instanceof Response) hint = `: a response object is sent once, so return a new one from a function, e.g. () => new ${handler.constructor.name}(...)`;
  else if (handler instanceof ProtocolApp) hint = ': serve a whole app under a path with new Mount(path, app)';
  else if (isClass(handler)) hint = ': a class cannot be called as a handler';
  else if (typeof handler === 'function') return;
  throw new TypeError(`${where} takes a handler function (request) => Response, got ${describeValue(handler)}${hint}`);
}

/** HTTP method names are tokens (RFC 9110 §9.1, §5.6.2). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkMethods(methods: unknown, where: string): asserts methods is readonly string[] {
  if (!Array.isArray(methods) || methods.length === 0) {
    throw new TypeError(`${where} takes a non-empty array of method names, e.g. ['GET', 'POST'], got ${describeValue(methods)}`);
  }
  for (const method of methods as unknown[]) {
    if (typeof method !== 'string' || !TOKEN.test(method)) throw new TypeError(`${where}: ${describeValue(method)} is not an HTTP method name, e.g. 'GET'`);
  }
}
