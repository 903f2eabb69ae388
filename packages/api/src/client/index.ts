/**
 * The typed client: `createClient<typeof api>(baseUrl)`. Types only come from the Api (through
 * `import type`); at run time this module loads nothing of the server or the framework, so it
 * works in browsers and other runtimes with a global `fetch`.
 */
import { headerName } from '../header-names';
import type { Method } from '../definition';
import { formatPath } from './path';
import type { Client, RoutesOf } from './types';

export type { BodyInput, Client, ClientResult, EntryOf, HttpStatus, OptionsArgument, PathsOf, RequestOptions, RoutesOf } from './types';

/** The `fetch` the client calls: the global one, or an adapter (`testClientFetch(testClient)`). */
export type ClientFetch = (input: string, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Default: the global `fetch`. */
  fetch?: ClientFetch;
  /** Sent with every request (an `authorization` header, say). */
  headers?: Record<string, string>;
}

interface CallOptions {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
  body?: unknown;
  form?: Record<string, unknown>;
  init?: RequestInit;
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined && item !== null) search.append(key, item instanceof Date ? item.toISOString() : String(item));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

function encodeBody(body: unknown, headers: Headers): NonNullable<RequestInit['body']> | undefined {
  if (body === undefined) return undefined;
  if (body instanceof FormData || body instanceof Uint8Array || body instanceof Blob || typeof body === 'string' || body instanceof URLSearchParams) return body as NonNullable<RequestInit['body']>;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

async function dataOf(response: Response, method: string): Promise<unknown> {
  if (method === 'HEAD') return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') ? (JSON.parse(text) as unknown) : text;
}

/**
 * A client typed from an Api's route table: paths, params, query, headers, body and the response
 * per status are checked against the endpoint's schemas. A `form()` endpoint takes its fields
 * as `form: {...}` (sent urlencoded); a `multipart()` body is a `FormData`.
 *
 * @example
 * import { createClient } from '@portico/api/client';
 * import type { app } from './server';
 * const client = createClient<typeof app>('http://127.0.0.1:8000');
 * const result = await client.get('/items/:id<int>', { params: { id: 1 } });
 * if (result.status === 200) console.log(result.data.name); // typed from responses[200]
 */
export function createClient<A>(baseUrl: string, options: ClientOptions = {}): Client<RoutesOf<A>> {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch: ClientFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  async function call(method: Method, path: string, given: CallOptions = {}): Promise<unknown> {
    const headers = new Headers(options.headers);
    new Headers(given.init?.headers).forEach((value, name) => headers.set(name, value));
    for (const [key, value] of Object.entries(given.headers ?? {})) if (value !== undefined && value !== null) headers.set(headerName(key), String(value));
    const cookies = Object.entries(given.cookies ?? {}).filter(([, value]) => value !== undefined);
    if (cookies.length > 0) headers.set('cookie', cookies.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('; '));
    const body = given.form === undefined ? encodeBody(given.body, headers) : new URLSearchParams(queryString(given.form).slice(1));
    const url = base + formatPath(path, given.params) + queryString(given.query);
    const response = await doFetch(url, { ...given.init, method, headers, ...(body !== undefined && { body }) });
    return { status: response.status, data: await dataOf(response, method), response };
  }
  const method = (name: Method) => (path: string, given?: CallOptions) => call(name, path, given);
  return {
    get: method('GET'),
    post: method('POST'),
    put: method('PUT'),
    patch: method('PATCH'),
    delete: method('DELETE'),
    head: method('HEAD'),
    options: method('OPTIONS'),
  } as unknown as Client<RoutesOf<A>>;
}
