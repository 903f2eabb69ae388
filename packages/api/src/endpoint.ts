/**
 * An endpoint at run time: its definition, its compiled field shapes, and the pipeline of one
 * request: dependencies (security first, as FastAPI: an anonymous caller learns nothing of the
 * schema), then every request part validated with all issues reported together (422), then the
 * handler, then the response serialised through its declared schema.
 */
import type { Request, Response } from '@portico/framework';
import type { z } from 'zod';
import type { EndpointDefinition, PartSchema } from './definition';
import { readBody } from './bodies';
import { collect, fieldShapes, type MultiSource } from './coercion';
import type { Dependency, RequestDependencies } from './dependencies';
import type { EndpointSpec } from './endpoint-spec';
import { RequestValidationError, type ValidationIssue } from './exceptions';
import { headerName } from './header-names';
import { toResponse } from './responses';
import type { AnyHandler } from './types';
import { parsePart, type PartName } from './validation';

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

function cookieSource(cookies: Record<string, string>): MultiSource<string> {
  return {
    get: (key) => cookies[key],
    getAll: (key) => (cookies[key] === undefined ? [] : [cookies[key]]),
  };
}

function paramSource(params: Record<string, string | number>): MultiSource<string | number> {
  return {
    get: (key) => params[key],
    getAll: (key) => (params[key] === undefined ? [] : [params[key]]),
  };
}

/** The parsed request parts a handler gets besides its dependencies and the request. */
interface Parts {
  params: unknown;
  query: unknown;
  headers: unknown;
  cookies: unknown;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

export class Endpoint {
  readonly definition: EndpointDefinition;
  /** `GET /items/:id`, for messages. */
  readonly label: string;
  /** For `urlPathFor`: the `name` option, else the operationId. */
  readonly name: string;
  /** Whether a request needs its dependencies resolved (and cleaned up after): the endpoint or a router around it declares some. */
  readonly usesDependencies: boolean;
  readonly #handler: AnyHandler;
  readonly #outer: ReadonlyArray<Readonly<Record<string, Dependency<unknown>>>>;
  readonly #dependencies: Readonly<Record<string, Dependency<unknown>>>;

  constructor(definition: EndpointDefinition, spec: EndpointSpec) {
    this.definition = definition;
    this.label = `${definition.method} ${definition.path}`;
    this.name = spec.name ?? definition.operationId;
    this.#handler = spec.handler;
    this.#outer = spec.outer.filter((group) => Object.keys(group).length > 0);
    this.#dependencies = spec.dependencies;
    this.usesDependencies = this.#outer.length > 0 || Object.keys(spec.dependencies).length > 0;
    // Compile the field shapes now, not on the first request.
    for (const schema of [definition.params, definition.query, definition.headers, definition.cookies]) if (schema) fieldShapes(schema);
  }

  /**
   * One request: dependencies, every part validated (all issues together), the handler, the
   * response. Synchronous when nothing on the way is: no dependencies, no body, no async schema
   * and a handler that returns its value.
   */
  run(request: Request, dependencies: RequestDependencies | undefined): Response | Promise<Response> {
    if (dependencies !== undefined || this.definition.body !== undefined) return this.#runAsync(request, dependencies);
    const issues: ValidationIssue[] = [];
    const parts = this.#parts(request, issues);
    if (parts instanceof Promise) return parts.then((settled) => this.#call(request, settled, undefined, EMPTY, issues));
    return this.#call(request, parts, undefined, EMPTY, issues);
  }

  async #runAsync(request: Request, dependencies: RequestDependencies | undefined): Promise<Response> {
    let deps: Record<string, unknown> = EMPTY;
    if (dependencies !== undefined) {
      for (const group of this.#outer) await dependencies.resolveAll(group);
      deps = await dependencies.resolveAll(this.#dependencies);
    }
    const issues: ValidationIssue[] = [];
    const parts = await this.#parts(request, issues);
    const body = this.definition.body ? await readBody(request, this.definition.body, issues) : undefined;
    return this.#call(request, parts, body, deps, issues);
  }

  #call(request: Request, parts: Parts, body: unknown, deps: Record<string, unknown>, issues: ValidationIssue[]): Response | Promise<Response> {
    if (issues.length > 0) throw new RequestValidationError(issues);
    const value = this.#handler({ params: parts.params, query: parts.query, headers: parts.headers, cookies: parts.cookies, body, deps, request });
    if (isPromiseLike(value)) return Promise.resolve(value).then((settled) => toResponse(settled, this.definition, this.label));
    return toResponse(value, this.definition, this.label);
  }

  /** The parsed parts; a promise only when a schema has async parts. */
  #parts(request: Request, issues: ValidationIssue[]): Parts | Promise<Parts> {
    const { params, query, headers, cookies } = this.definition;
    const parts: Parts = {
      params: params ? parsePart(params, collect(fieldShapes(params), paramSource(request.pathParams)), 'path', issues) : request.pathParams,
      query: this.#part(query, 'query', issues, () => request.queryParams),
      headers: this.#part(headers, 'header', issues, () => request.headers, headerName),
      cookies: this.#part(cookies, 'cookie', issues, () => cookieSource(request.cookies)),
    };
    if (!(parts.params instanceof Promise || parts.query instanceof Promise || parts.headers instanceof Promise || parts.cookies instanceof Promise)) return parts;
    return Promise.all([parts.params, parts.query, parts.headers, parts.cookies]).then(([p, q, h, c]) => ({ params: p, query: q, headers: h, cookies: c }));
  }

  #part(schema: PartSchema | undefined, part: PartName, issues: ValidationIssue[], source: () => MultiSource<string>, nameOf?: (key: string) => string): unknown {
    if (schema === undefined) return EMPTY;
    return parsePart(schema as z.ZodType, collect(fieldShapes(schema), source(), nameOf), part, issues);
  }
}
