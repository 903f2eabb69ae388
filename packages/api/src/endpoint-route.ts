/**
 * One framework route per path, dispatching by method, so a wrong method is a 405 whose `Allow`
 * lists every method of the path, and HEAD is answered by the GET endpoint. Dependency cleanup
 * runs after the response is sent; uploaded files are released when the request ends.
 */
import { HTTPException, NoMatchFound, PathPattern, Request, Response, type BaseRoute, type ConnectionScope, type RouteMatch } from '@portico/framework';
import { channels, type Receive, type Send } from '@portico/protocol';
import { AppStartedError } from '@portico/framework';
import { RequestDependencies, type DependencyOverrides, type LifespanDependencies } from './dependencies';
import type { Endpoint } from './endpoint';

/** What the route needs of its Api at run time. */
export interface EndpointRuntime {
  readonly dependencyOverrides: DependencyOverrides;
  readonly lifespanDependencies: LifespanDependencies;
}

export class EndpointRoute implements BaseRoute {
  readonly path: string;
  readonly pattern: PathPattern;
  readonly name: string | undefined = undefined;
  readonly #endpoints = new Map<string, Endpoint>();
  readonly #runtime: EndpointRuntime;
  #allow: string | undefined;

  constructor(path: string, runtime: EndpointRuntime) {
    this.path = path;
    this.pattern = new PathPattern(path);
    this.#runtime = runtime;
  }

  get firstSegment(): string | undefined {
    return this.pattern.firstSegment;
  }

  get endpoints(): ReadonlyMap<string, Endpoint> {
    return this.#endpoints;
  }

  add(endpoint: Endpoint): void {
    if (this.#allow !== undefined) throw new AppStartedError(`${endpoint.label} was added after the Api started serving: register every endpoint before the first request`);
    const { method } = endpoint.definition;
    if (this.#endpoints.has(method)) throw new TypeError(`${endpoint.label} is registered twice: one endpoint per method and path`);
    this.#endpoints.set(method, endpoint);
  }

  #allowed(): string {
    if (this.#allow === undefined) {
      const methods = [...this.#endpoints.keys()];
      if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
      this.#allow = methods.join(', ');
    }
    return this.#allow;
  }

  #endpointFor(method: string): Endpoint | undefined {
    return this.#endpoints.get(method) ?? (method === 'HEAD' ? this.#endpoints.get('GET') : undefined);
  }

  matches(scope: ConnectionScope): RouteMatch | null {
    if (scope.type !== 'http') return null;
    const params = this.pattern.params(scope.path);
    if (params === null) return null;
    const pathParams = scope.pathParams === undefined ? params : { ...scope.pathParams, ...params };
    return { kind: this.#endpointFor(scope.method) ? 'full' : 'partial', child: { pathParams } };
  }

  handle(scope: ConnectionScope, receive: Receive, send: Send): Promise<void> {
    if (scope.type !== 'http') return Promise.reject(new TypeError(`an Api route serves http scopes, not '${scope.type}'`));
    const endpoint = this.#endpointFor(scope.method);
    if (endpoint === undefined) return Promise.reject(new HTTPException(405, undefined, { allow: this.#allowed() }));
    this.#allowed();
    const request = new Request(scope, channels(scope, receive, send).receive);
    if (endpoint.usesDependencies) return this.#serve(endpoint, request, new RequestDependencies(request, this.#runtime.dependencyOverrides, this.#runtime.lifespanDependencies), send);
    let response: Response | Promise<Response>;
    try {
      response = endpoint.run(request, undefined);
    } catch (error) {
      response = Promise.reject(error as Error);
    }
    // Not async: an endpoint answered at once, with no form to release, costs no frame of its own.
    if (response instanceof Response && !request.formRequested) return response.handle(scope, request.responseReceive, send);
    return this.#serve(endpoint, request, undefined, send, response);
  }

  async #serve(endpoint: Endpoint, request: Request, dependencies: RequestDependencies | undefined, send: Send, started?: Response | Promise<Response>): Promise<void> {
    try {
      try {
        const response = await (started ?? endpoint.run(request, dependencies));
        await response.handle(request.scope, request.responseReceive, send);
      } catch (error) {
        // The dependencies see the failure at their `yield` before the error is answered.
        await dependencies?.close({ error }).catch(() => undefined);
        throw error;
      }
      await dependencies?.close();
    } finally {
      if (request.formRequested) await request.close();
    }
  }

  urlPathFor(name: string, params: Record<string, string | number>): string {
    for (const endpoint of this.#endpoints.values()) {
      if (endpoint.name !== name) continue;
      const unknown = Object.keys(params).filter((key) => !this.pattern.paramNames.includes(key));
      if (unknown.length > 0) throw new NoMatchFound(name, params, [`'${this.path}' takes {${this.pattern.paramNames.join(', ')}}, not ${unknown.join(', ')}`]);
      try {
        return this.pattern.format(params);
      } catch (error) {
        throw new NoMatchFound(name, params, [`'${this.path}': ${(error as Error).message}`]);
      }
    }
    throw new NoMatchFound(name, params);
  }
}
