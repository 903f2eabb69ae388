/**
 * Security schemes as dependencies: each checks one kind of credential, resolves to it, and
 * carries the SecurityRequirement the OpenAPI document lists. Missing or malformed credentials
 * are answered as FastAPI 0.92 does (403 "Not authenticated" for HTTP Bearer and API keys, 401
 * with `WWW-Authenticate` for Basic and OAuth2); `autoError: false` resolves `undefined` instead,
 * for endpoints that also serve anonymous callers.
 */
import type { Request } from '@portico/framework';
import { z } from 'zod';
import type { SecurityRequirement, SecuritySchemeObject } from './definition';
import { Dependency, type DependencyContext } from './dependencies';
import { HTTPException } from './exceptions';
import { describeValue } from './validation';

/** Options every scheme takes. */
export interface SecuritySchemeOptions<A extends boolean> {
  /** Default true: missing credentials are an error. false: the dependency resolves `undefined`. */
  autoError?: A;
  /** The key under `components.securitySchemes` (default: the class name). */
  schemeName?: string;
  description?: string;
}

/** `T`, or `T | undefined` with `autoError: false`. */
export type Credential<T, A extends boolean> = false extends A ? T | undefined : T;

/** What HTTPBearer resolves to. */
export interface HTTPAuthorizationCredentials {
  /** As sent, e.g. `Bearer`. */
  readonly scheme: string;
  readonly credentials: string;
}

/** What HTTPBasic resolves to. */
export interface HTTPBasicCredentials {
  readonly username: string;
  readonly password: string;
}

function requirement(name: string, scheme: SecuritySchemeObject, description: string | undefined): SecurityRequirement {
  return { name, scheme: description === undefined ? scheme : { ...scheme, description }, scopes: [] };
}

/** `Authorization: <scheme> <credentials>` split, or undefined. */
function authorization(request: Request): { scheme: string; credentials: string } | undefined {
  const header = request.headers.get('authorization');
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space === -1) return { scheme: header, credentials: '' };
  return { scheme: header.slice(0, space), credentials: header.slice(space + 1).trim() };
}

function fail(autoError: boolean, status: number, detail: string, challenge?: string): undefined {
  if (!autoError) return undefined;
  throw new HTTPException(status, detail, challenge === undefined ? undefined : { 'www-authenticate': challenge });
}

function checkName(name: unknown, scheme: string): string {
  if (typeof name !== 'string' || name === '') throw new TypeError(`new ${scheme}({ name }) takes the non-empty name of the key, got ${describeValue(name)}`);
  return name;
}

/**
 * `Authorization: Bearer <token>`. Resolves to `{ scheme, credentials }`; missing or another
 * scheme is a 403 "Not authenticated" with `WWW-Authenticate: Bearer`.
 *
 * @example
 * const bearer = new HTTPBearer();
 * api.get('/me', { dependencies: { auth: bearer } }, ({ deps }) => lookup(deps.auth.credentials));
 */
export class HTTPBearer<A extends boolean = true> extends Dependency<Credential<HTTPAuthorizationCredentials, A>> {
  constructor(options: SecuritySchemeOptions<A> & { bearerFormat?: string } = {}) {
    const autoError = options.autoError ?? true;
    const scheme: SecuritySchemeObject = options.bearerFormat === undefined ? { type: 'http', scheme: 'bearer' } : { type: 'http', scheme: 'bearer', bearerFormat: options.bearerFormat };
    super(
      function httpBearer({ request }: DependencyContext) {
        const found = authorization(request);
        if (!found || found.scheme.toLowerCase() !== 'bearer' || found.credentials === '') return fail(autoError, 403, 'Not authenticated', 'Bearer');
        return found;
      },
      { security: requirement(options.schemeName ?? 'HTTPBearer', scheme, options.description) },
    );
  }
}

/**
 * `Authorization: Basic <base64 user:password>`. Resolves to `{ username, password }`; missing
 * or malformed is a 401 with `WWW-Authenticate: Basic` (so browsers ask). Compare passwords with
 * `crypto.timingSafeEqual`.
 *
 * @example
 * const basic = new HTTPBasic({ realm: 'admin' });
 * api.get('/admin', { dependencies: { who: basic } }, ({ deps }) => deps.who.username);
 */
export class HTTPBasic<A extends boolean = true> extends Dependency<Credential<HTTPBasicCredentials, A>> {
  constructor(options: SecuritySchemeOptions<A> & { realm?: string } = {}) {
    const autoError = options.autoError ?? true;
    const challenge = options.realm === undefined ? 'Basic' : `Basic realm="${options.realm.replace(/["\\]/g, '\\$&')}"`;
    super(
      function httpBasic({ request }: DependencyContext) {
        const found = authorization(request);
        if (!found || found.scheme.toLowerCase() !== 'basic') return fail(autoError, 401, 'Not authenticated', challenge);
        const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(found.credentials) ? Buffer.from(found.credentials, 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        if (colon === -1) return fail(autoError, 401, 'Invalid authentication credentials', challenge);
        return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      },
      { security: requirement(options.schemeName ?? 'HTTPBasic', { type: 'http', scheme: 'basic' }, options.description) },
    );
  }
}

type KeyOptions<A extends boolean> = SecuritySchemeOptions<A> & { name: string };

/**
 * An API key in a header. Resolves to the key; missing is a 403 "Not authenticated".
 *
 * @example
 * const apiKey = new APIKeyHeader({ name: 'x-api-key' });
 * api.get('/reports', { dependencies: { key: apiKey } }, ({ deps }) => reportsFor(deps.key));
 */
export class APIKeyHeader<A extends boolean = true> extends Dependency<Credential<string, A>> {
  constructor(options: KeyOptions<A>) {
    const name = checkName(options?.name, 'APIKeyHeader');
    const autoError = options.autoError ?? true;
    super(
      function apiKeyHeader({ request }: DependencyContext) {
        return request.headers.get(name) || fail(autoError, 403, 'Not authenticated');
      },
      { security: requirement(options.schemeName ?? 'APIKeyHeader', { type: 'apiKey', in: 'header', name }, options.description) },
    );
  }
}

/**
 * An API key in the query string. Resolves to the key; missing is a 403 "Not authenticated".
 *
 * @example
 * const apiKey = new APIKeyQuery({ name: 'api_key' });
 */
export class APIKeyQuery<A extends boolean = true> extends Dependency<Credential<string, A>> {
  constructor(options: KeyOptions<A>) {
    const name = checkName(options?.name, 'APIKeyQuery');
    const autoError = options.autoError ?? true;
    super(
      function apiKeyQuery({ request }: DependencyContext) {
        return request.queryParams.get(name) || fail(autoError, 403, 'Not authenticated');
      },
      { security: requirement(options.schemeName ?? 'APIKeyQuery', { type: 'apiKey', in: 'query', name }, options.description) },
    );
  }
}

/**
 * An API key in a cookie. Resolves to the key; missing is a 403 "Not authenticated".
 *
 * @example
 * const session = new APIKeyCookie({ name: 'session' });
 */
export class APIKeyCookie<A extends boolean = true> extends Dependency<Credential<string, A>> {
  constructor(options: KeyOptions<A>) {
    const name = checkName(options?.name, 'APIKeyCookie');
    const autoError = options.autoError ?? true;
    super(
      function apiKeyCookie({ request }: DependencyContext) {
        return request.cookies[name] || fail(autoError, 403, 'Not authenticated');
      },
      { security: requirement(options.schemeName ?? 'APIKeyCookie', { type: 'apiKey', in: 'cookie', name }, options.description) },
    );
  }
}

/**
 * OAuth2's password flow: the client got a token from `tokenUrl` (an endpoint taking
 * `form(OAuth2PasswordRequestForm)`) and sends it as `Authorization: Bearer <token>`. Resolves
 * to the token; missing is a 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token' });
 * api.post('/token', { body: form(OAuth2PasswordRequestForm) }, ({ body }) => ({ access_token: issue(body.username), token_type: 'bearer' }));
 * api.get('/me', { dependencies: { token: oauth2 } }, ({ deps }) => userFor(deps.token));
 */
export class OAuth2PasswordBearer<A extends boolean = true> extends Dependency<Credential<string, A>> {
  constructor(options: SecuritySchemeOptions<A> & { tokenUrl: string; scopes?: Record<string, string> }) {
    if (typeof options?.tokenUrl !== 'string') throw new TypeError(`new OAuth2PasswordBearer({ tokenUrl }) takes the URL of the token endpoint, got ${describeValue(options?.tokenUrl)}`);
    const autoError = options.autoError ?? true;
    super(
      function oauth2PasswordBearer({ request }: DependencyContext) {
        const found = authorization(request);
        if (!found || found.scheme.toLowerCase() !== 'bearer' || found.credentials === '') return fail(autoError, 401, 'Not authenticated', 'Bearer');
        return found.credentials;
      },
      {
        security: requirement(
          options.schemeName ?? 'OAuth2PasswordBearer',
          { type: 'oauth2', flows: { password: { tokenUrl: options.tokenUrl, scopes: options.scopes ?? {} } } },
          options.description,
        ),
      },
    );
  }
}

/**
 * The token endpoint's form in OAuth2's password flow (RFC 6749 §4.3.2), for `form(...)`:
 * `username`, `password`, `scope` (space-separated, default ''), optional `grant_type`
 * ('password'), `client_id` and `client_secret`.
 *
 * @example
 * api.post('/token', { body: form(OAuth2PasswordRequestForm) }, ({ body }) => login(body.username, body.password));
 */
export const OAuth2PasswordRequestForm = z.object({
  grant_type: z.literal('password').optional(),
  username: z.string(),
  password: z.string(),
  scope: z.string().default(''),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});
