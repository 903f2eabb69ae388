/**
 * The type-level side of endpoints: what a handler receives, what it may return, and the route
 * table entry the typed client reads. Kept shallow on purpose: one flat entry per endpoint,
 * accumulated as a union (`Api<A | B>`), no recursion over routes (Hono's TS2589, honojs/hono#3869).
 */
import type { PathParams, Request, Response } from '@portico/framework';
import type { z } from 'zod';
import type { BodyDeclaration, Method, PartSchema, ResponseDeclaration, ResponsesOption, ResponseValidation } from './definition';
import type { BodyOption } from './bodies';
import type { DependenciesOption, DepsOf } from './dependencies';
import type { Api } from './api';
import type { ApiRouter } from './api-router';

/** A request part that was not declared: an empty object (the raw values stay on `request`). */
export type Undeclared = Record<string, never>;

/** The parsed value of a part schema, or `Fallback` when none was declared. */
export type PartValue<S, Fallback = Undeclared> = S extends z.ZodType ? z.output<S> : Fallback;

/** The parsed body: the schema's output, or `undefined` without a body declaration. */
export type BodyValue<B> = B extends z.ZodType ? z.output<B> : B extends BodyDeclaration<infer S> ? z.output<S> : undefined;

/** The schema documented for a status, if any. */
export type ResponseSchemaOf<R, S> = S extends keyof R ? (R[S] extends z.ZodType ? R[S] : R[S] extends ResponseDeclaration<infer X> ? X : undefined) : undefined;

/** What a handler may return for its status: the response schema's input, a Response, nothing for 204. */
export type HandlerReturn<R, S> =
  | Response
  | (S extends 204 ? void : never)
  | (ResponseSchemaOf<R, S> extends z.ZodType ? z.input<ResponseSchemaOf<R, S>> : unknown);

/** The one argument of a handler, each part parsed by its schema. */
export interface HandlerContext<Params, Query, Headers, Cookies, Body, Deps> {
  /** Path parameters: the `params` schema's output, else typed from the path (`:id<int>` → number). */
  readonly params: Params;
  readonly query: Query;
  /** Keys as in the schema; `userAgent` / `user_agent` read the `user-agent` header. */
  readonly headers: Headers;
  readonly cookies: Cookies;
  readonly body: Body;
  readonly deps: Deps;
  /** The framework Request, for anything else (raw headers, `state`, `urlFor`). */
  readonly request: Request;
}

/** The options of `api.get(path, options, handler)` and the other methods. */
export interface EndpointOptions<P, Q, H, C, B, R, S, D> {
  /** Path parameters; default: typed from the path's converters. Strings are pre-coerced (see README). */
  params?: P;
  query?: Q;
  headers?: H;
  cookies?: C;
  /** A zod schema (JSON) or `json()`, `form()`, `multipart()`, `bytes()`. */
  body?: B;
  /** Documented responses by status: a zod schema (JSON) or `{ schema, description, mediaType }`. */
  responses?: R;
  /** The status a returned value is sent with (default 200; 204 sends no body). */
  status?: S;
  dependencies?: D;
  tags?: readonly string[];
  summary?: string;
  description?: string;
  /** Default: readable from the method and path (`GET /items/:id` → `getItem`). Unique per Api. */
  operationId?: string;
  deprecated?: boolean;
  /** 'strict' (default): the value sent is what the response schema parses. 'off': sent as returned. */
  responseValidation?: ResponseValidation;
  /** false: left out of the OpenAPI document. */
  includeInSchema?: boolean;
  /** For `urlPathFor`; default the operationId. */
  name?: string;
}

/** One endpoint in the route table: its schemas as types, read lazily by the client. */
export interface RouteEntry<M extends Method, Path extends string, P, Q, H, C, B, R, S, Ret> {
  readonly method: M;
  readonly path: Path;
  readonly params: P;
  readonly query: Q;
  readonly headers: H;
  readonly cookies: C;
  readonly body: B;
  readonly responses: R;
  readonly status: S;
  readonly returns: Ret;
}

/** Any entry, as the client constrains them. */
export type AnyRouteEntry = RouteEntry<Method, string, unknown, unknown, unknown, unknown, unknown, unknown, unknown, unknown>;

type Grown<Kind extends 'api' | 'router', Prefix extends string, Routes> = Kind extends 'api' ? Api<Routes> : ApiRouter<Prefix, Routes>;

/** The signature of `api.get` and its siblings: registers an endpoint and returns the owner with one more route. */
export type EndpointMethod<M extends Method, Kind extends 'api' | 'router', Prefix extends string, Routes> = <
  const Path extends `/${string}`,
  P extends PartSchema | undefined = undefined,
  Q extends PartSchema | undefined = undefined,
  H extends PartSchema | undefined = undefined,
  C extends PartSchema | undefined = undefined,
  B extends BodyOption | undefined = undefined,
  R extends ResponsesOption = Record<never, never>,
  S extends number = 200,
  D extends DependenciesOption = Record<never, never>,
  Ret extends HandlerReturn<R, S> = HandlerReturn<R, S>,
>(
  path: Path,
  options: EndpointOptions<P, Q, H, C, B, R, S, D>,
  handler: (context: HandlerContext<PartValue<P, PathParams<`${Prefix}${Path}`>>, PartValue<Q>, PartValue<H>, PartValue<C>, BodyValue<B>, DepsOf<D>>) => Ret | Promise<Ret>,
) => Grown<Kind, Prefix, Routes | RouteEntry<M, `${Prefix}${Path}`, P, Q, H, C, B, R, S, Ret>>;

/** A router's entries with a prefix in front of their paths. */
export type Prefixed<Prefix extends string, Routes> = Routes extends AnyRouteEntry
  ? RouteEntry<Routes['method'], `${Prefix}${Routes['path']}`, Routes['params'], Routes['query'], Routes['headers'], Routes['cookies'], Routes['body'], Routes['responses'], Routes['status'], Routes['returns']>
  : never;

/** The handler as the runtime calls it. */
export type AnyHandler = (context: HandlerContext<unknown, unknown, unknown, unknown, unknown, unknown>) => unknown;
