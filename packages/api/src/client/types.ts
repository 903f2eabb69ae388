/**
 * The typed client's types, read from an Api's route table. Computed per call, from one entry
 * picked out of the table with `Extract`, so their cost does not grow with the number of routes.
 */
import type { PathParams } from '@portico/framework';
import type { z } from 'zod';
import type { BodyDeclaration, Method, ResponseDeclaration } from '../definition';
import type { AnyRouteEntry } from '../types';

/** The route table of an Api or ApiRouter type. */
export type RoutesOf<A> = A extends { readonly '~routes': infer R } ? R : never;

export type EntryOf<R, M extends Method, P> = Extract<R, { readonly method: M; readonly path: P }>;

/** The paths registered for a method. */
export type PathsOf<R, M extends Method> = Extract<R, { readonly method: M }> extends infer E ? (E extends AnyRouteEntry ? E['path'] : never) : never;

type Input<S> = S extends z.ZodType ? z.input<S> : never;

/** A part: required when it has required keys, optional otherwise, absent when undeclared. */
type PartOption<K extends string, S> = S extends z.ZodType
  ? Record<string, never> extends Input<S>
    ? { readonly [P in K]?: Input<S> }
    : { readonly [P in K]: Input<S> }
  : { readonly [P in K]?: undefined };

type ParamsOption<E extends AnyRouteEntry> = E['params'] extends z.ZodType
  ? { readonly params: z.input<E['params']> }
  : Record<string, never> extends PathParams<E['path']>
    ? { readonly params?: PathParams<E['path']> }
    : { readonly params: PathParams<E['path']> };

/** What a body is sent as: JSON values, a FormData for multipart, bytes (urlencoded forms go in `form`). */
export type BodyInput<B> = B extends z.ZodType
  ? z.input<B>
  : B extends BodyDeclaration<infer S> & { readonly encoding: infer Encoding }
    ? Encoding extends 'json'
      ? z.input<S>
      : Encoding extends 'multipart'
        ? FormData
        : Encoding extends 'urlencoded'
          ? never
          : Uint8Array | string | Blob
    : never;

type FormInput<B> = B extends BodyDeclaration<infer S> & { readonly encoding: 'urlencoded' } ? z.input<S> : never;

type BodyOption<B> = B extends undefined
  ? { readonly body?: undefined }
  : B extends { readonly encoding: 'urlencoded' }
    ? { readonly form: FormInput<B> }
    : undefined extends BodyInput<B>
      ? { readonly body?: BodyInput<B> }
      : { readonly body: BodyInput<B> };

/** The options of one call: params, query, headers, cookies and body as the endpoint declares them. */
export type RequestOptions<E extends AnyRouteEntry> = ParamsOption<E> &
  PartOption<'query', E['query']> &
  PartOption<'headers', E['headers']> &
  PartOption<'cookies', E['cookies']> &
  BodyOption<E['body']> & {
    /** A `form()` endpoint's fields, sent urlencoded. */
    readonly form?: unknown;
    /** Passed on to fetch (signal, credentials, cache...); `headers` here are added as they are. */
    readonly init?: RequestInit;
  };

/** The rest parameter of a call: the options may be left out when nothing in them is required. */
export type OptionsArgument<E extends AnyRouteEntry> = Record<string, never> extends Omit<RequestOptions<E>, 'init'> ? [options?: RequestOptions<E>] : [options: RequestOptions<E>];

type SchemaOf<D> = D extends z.ZodType ? D : D extends ResponseDeclaration<infer S> ? S : undefined;
type DataOf<D> = SchemaOf<D> extends z.ZodType ? z.output<SchemaOf<D>> : unknown;

/** Every HTTP status the client may see. */
export type HttpStatus =
  | 100 | 101 | 102 | 103
  | 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226
  | 300 | 301 | 302 | 303 | 304 | 305 | 307 | 308
  | 400 | 401 | 402 | 403 | 404 | 405 | 406 | 407 | 408 | 409 | 410 | 411 | 412 | 413 | 414 | 415 | 416 | 417 | 418 | 421 | 422 | 423 | 424 | 425 | 426 | 428 | 429 | 431 | 451
  | 500 | 501 | 502 | 503 | 504 | 505 | 506 | 507 | 508 | 510 | 511;

interface Result<S, D> {
  readonly status: S;
  readonly data: D;
  /** The fetch Response (headers, etc.); its body has been read. */
  readonly response: Response;
}

type Declared<E extends AnyRouteEntry> = { [K in keyof E['responses'] & number]: Result<K, DataOf<E['responses'][K]>> }[keyof E['responses'] & number];

/** The endpoint's own status when no schema documents it: typed from what the handler returns. */
type Default<E extends AnyRouteEntry> = E['status'] extends keyof E['responses']
  ? never
  : Result<E['status'], E['status'] extends 204 ? undefined : Exclude<Awaited<E['returns']>, Response | void>>;

type Other<E extends AnyRouteEntry> = Result<Exclude<HttpStatus, (keyof E['responses'] & number) | E['status']>, unknown>;

/**
 * What a call resolves to: `{ status, data, response }`, a union discriminated by `status`:
 * declared statuses have their schema's output as `data`, the endpoint's status (when not
 * declared) what the handler returns, any other status `unknown`.
 */
export type ClientResult<E extends AnyRouteEntry> = Declared<E> | Default<E> | Other<E>;

type Call<R, M extends Method> = <P extends PathsOf<R, M>>(path: P, ...options: OptionsArgument<EntryOf<R, M, P> & AnyRouteEntry>) => Promise<ClientResult<EntryOf<R, M, P> & AnyRouteEntry>>;

/** The typed client of an Api: one method per HTTP method, taking the paths registered for it. */
export interface Client<R> {
  readonly get: Call<R, 'GET'>;
  readonly post: Call<R, 'POST'>;
  readonly put: Call<R, 'PUT'>;
  readonly patch: Call<R, 'PATCH'>;
  readonly delete: Call<R, 'DELETE'>;
  readonly head: Call<R, 'HEAD'>;
  readonly options: Call<R, 'OPTIONS'>;
}
