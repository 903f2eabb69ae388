/**
 * Cross-Origin Resource Sharing, server side of the Fetch standard (fetch.spec.whatwg.org,
 * "CORS protocol"): answer preflights, and add the headers a browser needs to let a page from
 * another origin read a response.
 */
import type { App as GatewayApp, HeaderList, HttpScope } from '@portico/protocol';
import { checkBoolean, checkOptions, checkStrings, describeValue } from '../arguments';
import { PlainTextResponse } from '../responses/text';
import { Response } from '../responses/response';
import { addVary } from './vary';

export interface CORSOptions {
  /** Origins allowed to read responses: `'https://example.com'` (scheme, host, port; no path), or `'*'` for any. */
  allowOrigins?: readonly string[];
  /** Origins allowed when the whole origin matches (anchored for you). */
  allowOriginRegex?: string | RegExp;
  /** Methods a preflight may ask for; `'*'` for any. Default `['GET']`. */
  allowMethods?: readonly string[];
  /** Request headers a preflight may ask for; `'*'` for any. Accept, Accept-Language, Content-Language and Content-Type are always allowed. */
  allowHeaders?: readonly string[];
  /** Let the browser send cookies and read the response to credentialed requests. Default false. */
  allowCredentials?: boolean;
  /** Response headers the page may read beyond the safelisted ones. */
  exposeHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. Default 600. */
  maxAge?: number;
}

/** Always allowed in a preflight, as Starlette does (the Fetch safelist, by name). */
const SAFELISTED_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type'];

/**
 * CORS as a protocol middleware. A request without `Origin` passes through untouched, as do
 * websocket scopes (browsers do not apply CORS to them). A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here: 204 with the allowed methods and headers,
 * or 400 naming what is not allowed. Any other request with an `Origin` reaches the app, and its
 * response (error responses from the exception layer included) gets `Access-Control-Allow-Origin`
 * when the origin is allowed. The origin is echoed with `Vary: Origin` whenever the answer depends
 * on it; `*` is sent only for any-origin policies without credentials, as the Fetch standard requires.
 *
 * @example
 * new App({
 *   middleware: [new Middleware(CORSMiddleware, { allowOrigins: ['https://example.com'], allowMethods: ['GET', 'POST'], allowCredentials: true })],
 * });
 */
export function CORSMiddleware(app: GatewayApp, options: CORSOptions): GatewayApp {
  const policy = new CorsPolicy(options);
  return async function cors(scope, receive, send) {
    if (scope.type !== 'http') return app(scope, receive, send);
    let origin: string | undefined;
    let requestedMethod: string | undefined;
    for (const [name, value] of scope.headers) {
      if (name === 'origin') origin ??= value;
      else if (name === 'access-control-request-method') requestedMethod ??= value;
    }
    if (origin === undefined) return app(scope, receive, send);
    if (scope.method === 'OPTIONS' && requestedMethod !== undefined) return policy.preflight(scope, origin, requestedMethod).handle(scope, receive, send);
    const allowedOrigin = origin;
    return app(scope, receive, (event) =>
      event.type === 'http.response.start' ? send({ ...event, headers: policy.responseHeaders(event.headers ?? [], allowedOrigin) }) : send(event),
    );
  };
}

// Run by new Middleware(CORSMiddleware, options): wrong options fail when the app is configured.
CORSMiddleware.checkOptions = (options: CORSOptions): void => void new CorsPolicy(options);

const CORS_OPTIONS: Record<keyof CORSOptions, true> = {
  allowOrigins: true,
  allowOriginRegex: true,
  allowMethods: true,
  allowHeaders: true,
  allowCredentials: true,
  exposeHeaders: true,
  maxAge: true,
};

/** The options, checked and compiled once when the app builds its stack. */
class CorsPolicy {
  readonly #anyOrigin: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #originRegex: RegExp | undefined;
  readonly #anyMethod: boolean;
  readonly #methods: ReadonlySet<string>;
  readonly #methodsHeader: string;
  readonly #anyHeader: boolean;
  readonly #headers: ReadonlySet<string>;
  readonly #headersHeader: string;
  readonly #credentials: boolean;
  readonly #expose: string | undefined;
  readonly #maxAge: string;

  constructor(given: CORSOptions) {
    const options = checkOptions(given, 'new Middleware(CORSMiddleware, options)', CORS_OPTIONS);
    for (const key of ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const) checkStrings(options[key], `CORSMiddleware({ ${key} })`);
    checkBoolean(options.allowCredentials, 'CORSMiddleware({ allowCredentials })');
    const regex = options.allowOriginRegex;
    if (regex !== undefined && typeof regex !== 'string' && !(regex instanceof RegExp)) {
      throw new TypeError(`CORSMiddleware({ allowOriginRegex }) takes a string or a RegExp, got ${describeValue(regex)}`);
    }
    const origins = options.allowOrigins ?? [];
    for (const origin of origins) {
      if (origin !== '*' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+$/i.test(origin) && origin !== 'null') {
        throw new TypeError(`CORS allowOrigins: '${origin}' is not an origin; write scheme://host[:port] without a path or trailing slash`);
      }
    }
    this.#anyOrigin = origins.includes('*');
    this.#origins = new Set(origins);
    this.#originRegex = regex === undefined ? undefined : new RegExp(`^(?:${typeof regex === 'string' ? regex : regex.source})$`, typeof regex === 'string' ? '' : regex.flags.replace(/[gy]/g, ''));
    const methods = (options.allowMethods ?? ['GET']).map((method) => method.toUpperCase());
    this.#anyMethod = methods.includes('*');
    this.#methods = new Set(methods);
    this.#methodsHeader = methods.join(', ');
    const headers = (options.allowHeaders ?? []).map((header) => header.toLowerCase());
    this.#anyHeader = headers.includes('*');
    this.#headers = new Set([...SAFELISTED_HEADERS, ...headers]);
    this.#headersHeader = [...this.#headers].join(', ');
    this.#credentials = options.allowCredentials ?? false;
    this.#expose = options.exposeHeaders && options.exposeHeaders.length > 0 ? options.exposeHeaders.join(', ') : undefined;
    const maxAge = options.maxAge ?? 600;
    if (!Number.isInteger(maxAge) || maxAge < 0) throw new TypeError(`CORS maxAge is in whole seconds, got ${maxAge}`);
    this.#maxAge = String(maxAge);
  }

  /** `*` goes out only when any origin may read and no credentials are involved; otherwise the origin is echoed. */
  get #wildcard(): boolean {
    return this.#anyOrigin && !this.#credentials;
  }

  #allows(origin: string): boolean {
    return this.#anyOrigin || this.#origins.has(origin) || (this.#originRegex?.test(origin) ?? false);
  }

  /** The answer to a preflight: 204 with the grants, or 400 saying what is refused. */
  preflight(scope: HttpScope, origin: string, method: string): Response {
    const requestedHeaders = requestHeaderNames(scope.headers);
    const refused: string[] = [];
    if (!this.#allows(origin)) refused.push('origin');
    if (!this.#anyMethod && !this.#methods.has(method.toUpperCase())) refused.push('method');
    if (!this.#anyHeader && requestedHeaders.some((name) => !this.#headers.has(name))) refused.push('headers');

    const headers: HeaderList = [];
    if (!this.#wildcard) addVary(headers, 'Origin');
    if (refused.length > 0) return new PlainTextResponse(`Disallowed CORS ${refused.join(', ')}`, { status: 400, headers });

    headers.push(['access-control-allow-origin', this.#wildcard ? '*' : origin]);
    // Echoing is exact and also works with credentials, where the Fetch standard reads `*` as a literal name.
    headers.push(['access-control-allow-methods', this.#anyMethod ? method : this.#methodsHeader]);
    if (this.#anyHeader) {
      addVary(headers, 'Access-Control-Request-Headers');
      if (requestedHeaders.length > 0) headers.push(['access-control-allow-headers', requestedHeaders.join(', ')]);
    } else headers.push(['access-control-allow-headers', this.#headersHeader]);
    if (this.#credentials) headers.push(['access-control-allow-credentials', 'true']);
    headers.push(['access-control-max-age', this.#maxAge]);
    return new Response(null, { status: 204, headers });
  }

  /** The app's response headers plus the CORS ones, in a new list. Who may read is this policy's call alone. */
  responseHeaders(appHeaders: HeaderList, origin: string): HeaderList {
    const headers = appHeaders.filter(([name]) => name !== 'access-control-allow-origin' && name !== 'access-control-allow-credentials');
    if (this.#wildcard) {
      headers.push(['access-control-allow-origin', '*']);
    } else {
      addVary(headers, 'Origin');
      if (!this.#allows(origin)) return headers;
      headers.push(['access-control-allow-origin', origin]);
      if (this.#credentials) headers.push(['access-control-allow-credentials', 'true']);
    }
    if (this.#expose !== undefined && !headers.some(([name]) => name === 'access-control-expose-headers')) headers.push(['access-control-expose-headers', this.#expose]);
    return headers;
  }
}

/** The names in `Access-Control-Request-Headers`, lower case. */
function requestHeaderNames(headers: HeaderList): string[] {
  const names: string[] = [];
  for (const [name, value] of headers) {
    if (name !== 'access-control-request-headers') continue;
    for (const item of value.split(',')) {
      const trimmed = item.trim().toLowerCase();
      if (trimmed !== '') names.push(trimmed);
    }
  }
  return names;
}
