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

export class Endpoint {
  readonly definition: EndpointDefinition;
  /** `GET /items/:id`, for messages. */
  readonly label: string;
  /** For `urlPathFor`: the `name` option, else the operationId. */
  readonly name: string;
  readonly #handler: AnyHandler;
  readonly #outer: ReadonlyArray<Readonly<Record<string, Dependency<unknown>>>>;
  readonly #dependencies: Readonly<Record<string, Dependency<unknown>>>;

  constructor(definition: EndpointDefinition, spec: EndpointSpec) {
    this.definition = definition;
    this.label = `${definition.method} ${definition.path}`;
    this.name = spec.name ?? definition.operationId;
    this.#handler = spec.handler;
    this.#outer = spec.outer;
    this.#dependencies = spec.dependencies;
    // Compile the field shapes now, not on the first request.
    for (const schema of [definition.params, definition.query, definition.headers, definition.cookies]) if (schema) fieldShapes(schema);
  }

  async run(request: Request, dependencies: RequestDependencies): Promise<Response> {
    for (const group of this.#outer) await dependencies.resolveAll(group);
    const deps = await dependencies.resolveAll(this.#dependencies);
    const { params, query, headers, cookies, body } = this.definition;
    const issues: ValidationIssue[] = [];
    const context = {
      params: params ? await parsePart(params, collect(fieldShapes(params), paramSource(request.pathParams)), 'path', issues) : request.pathParams,
      query: await this.#part(query, 'query', issues, () => request.queryParams),
      headers: await this.#part(headers, 'header', issues, () => request.headers, headerName),
      cookies: await this.#part(cookies, 'cookie', issues, () => cookieSource(request.cookies)),
      body: body ? await readBody(request, body, issues) : undefined,
      deps,
      request,
    };
    if (issues.length > 0) throw new RequestValidationError(issues);
    const value = await this.#handler(context);
    return toResponse(value, this.definition, this.label);
  }

  #part(schema: PartSchema | undefined, part: PartName, issues: ValidationIssue[], source: () => MultiSource<string>, nameOf?: (key: string) => string): Promise<unknown> | unknown {
    if (schema === undefined) return EMPTY;
    return parsePart(schema as z.ZodType, collect(fieldShapes(schema), source(), nameOf), part, issues);
  }
}
