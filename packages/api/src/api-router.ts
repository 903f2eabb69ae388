import type { z } from 'zod';
import type { Method, ResponseDeclaration } from './definition';
import type { DependenciesOption } from './dependencies';
import { buildGroup, buildSpec, underGroup, type EndpointSpec, type Group } from './endpoint-spec';
import type { EndpointMethod, Prefixed } from './types';

export interface ApiRouterOptions<Prefix extends string> {
  /** Put before every path of the router: '' or '/items' (no trailing slash). */
  prefix?: Prefix;
  /** Added before each endpoint's own tags. */
  tags?: readonly string[];
  /** Resolved before each endpoint's own, for their effect (an auth check); their values are not in `deps`. */
  dependencies?: DependenciesOption;
  /** Documented on every endpoint; an endpoint's own entry for a status wins. */
  responses?: Readonly<Record<number, z.ZodType | ResponseDeclaration>>;
}

const specs = new WeakMap<object, () => EndpointSpec[]>();

/** The endpoints of a router, under its prefix, tags, responses and dependencies. */
export function specsOf(router: ApiRouter<string, unknown>): EndpointSpec[] {
  const read = specs.get(router);
  if (!read) throw new TypeError('include() takes an ApiRouter');
  return read();
}

/**
 * A group of endpoints with a common prefix, tags, dependencies and responses, included into
 * an Api (or another router) with `include()`. Including copies the endpoints registered so far,
 * as FastAPI's `include_router` does: register first, include after.
 *
 * @example
 * const items = new ApiRouter({ prefix: '/items', tags: ['items'], dependencies: { key: apiKey } })
 *   .get('/', {}, () => [...store.values()])
 *   .get('/:id<int>', {}, ({ params }) => store.get(params.id));
 * export const api = new Api({ title: 'Shop', version: '1' }).include(items);
 */
export class ApiRouter<Prefix extends string = '', Routes = never> {
  /** Type only: the route table, for `createClient`. */
  declare readonly '~routes': Routes;
  readonly prefix: Prefix;
  readonly #group: Group;
  readonly #specs: EndpointSpec[] = [];

  readonly get: EndpointMethod<'GET', 'router', Prefix, Routes> = this.#method('GET');
  readonly post: EndpointMethod<'POST', 'router', Prefix, Routes> = this.#method('POST');
  readonly put: EndpointMethod<'PUT', 'router', Prefix, Routes> = this.#method('PUT');
  readonly patch: EndpointMethod<'PATCH', 'router', Prefix, Routes> = this.#method('PATCH');
  readonly delete: EndpointMethod<'DELETE', 'router', Prefix, Routes> = this.#method('DELETE');
  readonly head: EndpointMethod<'HEAD', 'router', Prefix, Routes> = this.#method('HEAD');
  readonly options: EndpointMethod<'OPTIONS', 'router', Prefix, Routes> = this.#method('OPTIONS');

  constructor(options: ApiRouterOptions<Prefix> = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError(`new ApiRouter(options) takes { prefix, tags, dependencies, responses }, got ${String(options)}`);
    this.#group = buildGroup(options, 'ApiRouter');
    this.prefix = this.#group.prefix as Prefix;
    specs.set(this, () => this.#specs.map((spec) => underGroup(spec, this.#group)));
  }

  /**
   * Add the endpoints of another router (under this router's prefix, tags and dependencies).
   *
   * @example
   * const v1 = new ApiRouter({ prefix: '/v1' }).include(items).include(users);
   */
  include<Included>(router: ApiRouter<string, Included>): ApiRouter<Prefix, Routes | Prefixed<Prefix, Included>> {
    this.#specs.push(...specsOf(router));
    return this as never;
  }

  #method(method: Method): never {
    return ((path: unknown, options: unknown, handler: unknown) => {
      this.#specs.push(buildSpec(method, path, options, handler));
      return this;
    }) as never;
  }
}
