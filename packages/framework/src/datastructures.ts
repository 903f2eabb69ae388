/**
 * The small value types a request is made of: case-insensitive headers, multi-value query
 * parameters and form fields, and the request URL. Parsed once, lazily, by their owners.
 */
import type { Address, HeaderList, HttpScope, WebSocketScope } from '@portico/protocol';
import type { UploadFile } from './uploads';

export type { Address };

/**
 * Read-only, case-insensitive view of a `[name, value]` list; repeats and order are kept.
 * `get` answers the first value, `getAll` every value.
 *
 * @example
 * const headers = new Headers([['accept', 'text/html'], ['x-tag', 'a'], ['x-tag', 'b']]);
 * headers.get('Accept'); // 'text/html'
 * headers.getAll('x-tag'); // ['a', 'b']
 */
export class Headers implements Iterable<[string, string]> {
  /** The underlying list (names lower case), as the protocol carries it. */
  readonly raw: HeaderList;

  constructor(raw: HeaderList = []) {
    this.raw = raw;
  }

  get(name: string): string | undefined {
    const key = name.toLowerCase();
    for (const [n, v] of this.raw) if (n === key) return v;
    return undefined;
  }

  getAll(name: string): string[] {
    const key = name.toLowerCase();
    const values: string[] = [];
    for (const [n, v] of this.raw) if (n === key) values.push(v);
    return values;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Distinct names, lower case, in first-seen order. */
  keys(): string[] {
    return [...new Set(this.raw.map(([name]) => name))];
  }

  [Symbol.iterator](): Iterator<[string, string]> {
    return this.raw[Symbol.iterator]();
  }
}

/** RFC 9110 5.1 token characters (a field name). */
const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 9110 5.5 field value characters, as Node and the protocol accept them: no CR, LF, NUL or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Refuse a response header that cannot be written as one field: a name that is not a token, or a
 * value with CR, LF or NUL (which would end the field or the head and let the rest forge headers).
 * Checked where a header is set, so the error points at the code that set it.
 */
export function checkHeaderField(name: string, value: string): void {
  if (!FIELD_NAME.test(name)) throw new TypeError(`header name ${JSON.stringify(name)} is not an HTTP token (RFC 9110 5.1): no spaces, colons, CR, LF or NUL`);
  if (!FIELD_VALUE.test(value)) {
    throw new TypeError(`header '${name}' has a value with CR, LF, NUL or another character a header cannot carry (RFC 9110 5.5): ${JSON.stringify(value)}`);
  }
}

/**
 * Headers a response is still building; names are stored lower case. `set` and `append` refuse
 * a name or value that would split the header (a TypeError, see `checkHeaderField`).
 *
 * @example
 * response.headers.set('cache-control', 'no-store');
 * response.headers.append('vary', 'accept');
 */
export class MutableHeaders extends Headers {
  /** Replace every value of `name` with one value. */
  set(name: string, value: string): void {
    checkHeaderField(name, value);
    const key = name.toLowerCase();
    const index = this.raw.findIndex(([n]) => n === key);
    if (index === -1) {
      this.raw.push([key, value]);
      return;
    }
    this.raw[index] = [key, value];
    for (let i = this.raw.length - 1; i > index; i--) if (this.raw[i]![0] === key) this.raw.splice(i, 1);
  }

  append(name: string, value: string): void {
    checkHeaderField(name, value);
    this.raw.push([name.toLowerCase(), value]);
  }

  delete(name: string): void {
    const key = name.toLowerCase();
    for (let i = this.raw.length - 1; i >= 0; i--) if (this.raw[i]![0] === key) this.raw.splice(i, 1);
  }
}

/** A read-only multi-value map: `get` gives the first value, `getAll` all of them. */
class MultiDict<V> implements Iterable<[string, V]> {
  readonly #items: Array<[string, V]>;
  #index: Map<string, V[]> | undefined;

  constructor(items: Array<[string, V]>) {
    this.#items = items;
  }

  get(key: string): V | undefined {
    return this.#map().get(key)?.[0];
  }

  getAll(key: string): V[] {
    return this.#map().get(key)?.slice() ?? [];
  }

  has(key: string): boolean {
    return this.#map().has(key);
  }

  keys(): string[] {
    return [...this.#map().keys()];
  }

  get size(): number {
    return this.#map().size;
  }

  /** The first value of each key, as a plain object. */
  toObject(): Record<string, V> {
    const object: Record<string, V> = {};
    for (const [key, values] of this.#map()) object[key] = values[0]!;
    return object;
  }

  [Symbol.iterator](): Iterator<[string, V]> {
    return this.#items[Symbol.iterator]();
  }

  #map(): Map<string, V[]> {
    if (this.#index) return this.#index;
    this.#index = new Map();
    for (const [key, value] of this.#items) {
      const values = this.#index.get(key);
      if (values) values.push(value);
      else this.#index.set(key, [value]);
    }
    return this.#index;
  }
}

/**
 * Query parameters, decoded (`+` is a space), repeats kept.
 *
 * @example
 * const query = new QueryParams('tag=a&tag=b&page=2');
 * query.get('page'); // '2'
 * query.getAll('tag'); // ['a', 'b']
 */
export class QueryParams extends MultiDict<string> {
  constructor(queryString: string) {
    super([...new URLSearchParams(queryString)]);
  }
}

/** One form field value: text, or an uploaded file in a multipart form. */
export type FormValue = string | UploadFile;

/**
 * A submitted form: field names to values (text, or UploadFile for files), repeats kept.
 *
 * @example
 * const form = await request.form();
 * form.get('title'); // 'Groceries'
 * const attachment = form.get('attachment'); // an UploadFile, if one was sent
 */
export class FormData extends MultiDict<FormValue> {
  /** Close every uploaded file (removing temp files). Route handlers' requests do this when the request ends. */
  async close(): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [, value] of this) if (typeof value !== 'string') closing.push(value.close());
    await Promise.all(closing);
  }
}

/** The parts `URL.replace` can change. */
export interface URLParts {
  scheme?: string;
  hostname?: string;
  port?: number | null;
  /** Decoded path; it is percent-encoded again in `href`. */
  path?: string;
  /** Raw query string, without `?`. */
  query?: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/**
 * The URL a request was made to (`rootPath + path`), built from the scope and the Host header.
 * Named after Starlette's; it is not the WHATWG `URL`, whose `pathname` would be encoded.
 *
 * @example
 * request.url.path; // '/notes/7'
 * request.url.href; // 'http://testserver/notes/7?full=1'
 * request.url.replace({ scheme: 'https' }).href; // 'https://testserver/notes/7?full=1'
 */
export class URL {
  readonly scheme: string;
  readonly hostname: string;
  /** `null` when it is the scheme's default port (or unknown). */
  readonly port: number | null;
  readonly path: string;
  readonly query: string;

  constructor(parts: Required<URLParts>) {
    this.scheme = parts.scheme;
    this.hostname = parts.hostname;
    this.port = parts.port === DEFAULT_PORTS[parts.scheme] ? null : parts.port;
    this.path = parts.path;
    this.query = parts.query;
  }

  /** The URL of a connection scope: scheme, Host header (or server address), root path and path. */
  static fromScope(scope: HttpScope | WebSocketScope): URL {
    let hostname = scope.server?.host ?? 'localhost';
    let port: number | null = scope.server?.port ?? null;
    for (const [name, value] of scope.headers) {
      if (name !== 'host') continue;
      const split = splitHost(value);
      hostname = split.hostname;
      port = split.port ?? DEFAULT_PORTS[scope.scheme] ?? null;
      break;
    }
    return new URL({ scheme: scope.scheme, hostname, port, path: scope.rootPath + scope.path, query: scope.queryString });
  }

  /** `hostname[:port]`. */
  get host(): string {
    const hostname = this.hostname.includes(':') ? `[${this.hostname}]` : this.hostname;
    return this.port === null ? hostname : `${hostname}:${this.port}`;
  }

  get origin(): string {
    return `${this.scheme}://${this.host}`;
  }

  /** The whole URL, path percent-encoded. */
  get href(): string {
    return `${this.origin}${encodePath(this.path)}${this.query ? `?${this.query}` : ''}`;
  }

  replace(parts: URLParts): URL {
    return new URL({
      scheme: parts.scheme ?? this.scheme,
      hostname: parts.hostname ?? this.hostname,
      port: parts.port !== undefined ? parts.port : (this.port ?? DEFAULT_PORTS[parts.scheme ?? this.scheme] ?? null),
      path: parts.path ?? this.path,
      query: parts.query ?? this.query,
    });
  }

  toString(): string {
    return this.href;
  }

  toJSON(): string {
    return this.href;
  }
}

function splitHost(value: string): { hostname: string; port: number | null } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(value.trim());
  if (!match) return { hostname: value, port: null };
  const hostname = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { hostname, port: match[2] === undefined ? null : Number(match[2]) };
}

/** Percent-encode what may not stand in a path (RFC 3986 pchar plus `/`); a literal `%` too. */
export function encodePath(path: string): string {
  return path.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]+/g, (chars) => encodeURIComponent(chars));
}
