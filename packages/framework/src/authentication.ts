/**
 * Who is asking, and what they may do: the values AuthenticationMiddleware puts on every
 * connection (`request.user`, `request.auth`), the backend interface that finds them, and
 * `requires()` to guard handlers.
 */
import type { HTTPConnection } from './connection';
import { HTTPException } from './exceptions';
import { RedirectResponse } from './responses/redirect';
import type { Response } from './responses/response';

/** A user as the framework sees it; a backend may return any object that fits. */
export interface BaseUser {
  readonly isAuthenticated: boolean;
  /** A name to show ("Signed in as …"). */
  readonly displayName: string;
}

/**
 * A signed-in user known by name.
 *
 * @example
 * return { credentials: new AuthCredentials(['authenticated']), user: new SimpleUser('ada') };
 */
export class SimpleUser implements BaseUser {
  readonly isAuthenticated = true;

  constructor(readonly username: string) {}

  get displayName(): string {
    return this.username;
  }
}

/** Nobody signed in: what `request.user` is when the backend finds no credentials. */
export class UnauthenticatedUser implements BaseUser {
  readonly isAuthenticated = false;
  readonly displayName = '';
}

/**
 * What the credentials allow: a list of scopes such as `'authenticated'` or `'admin'`, checked by
 * `requires()`.
 *
 * @example
 * new AuthCredentials(['authenticated', 'notes:write']);
 * request.auth.scopes.includes('notes:write');
 */
export class AuthCredentials {
  readonly scopes: readonly string[];

  constructor(scopes: readonly string[] = []) {
    this.scopes = scopes;
  }
}

/** What a backend found: the credentials' scopes and the user they belong to. */
export interface AuthResult {
  credentials: AuthCredentials;
  user: BaseUser;
}

/**
 * Finds the user of a connection (an HTTP request or a websocket handshake). Return null when
 * the connection carries no credentials (the user is then an UnauthenticatedUser); throw an
 * AuthenticationError when it carries bad ones.
 *
 * @example
 * const bearer: AuthenticationBackend = {
 *   async authenticate(conn) {
 *     const token = conn.headers.get('authorization')?.replace(/^Bearer /, '');
 *     if (token === undefined) return null;
 *     const user = await users.byToken(token);
 *     if (!user) throw new AuthenticationError('invalid token');
 *     return { credentials: new AuthCredentials(['authenticated', ...user.roles]), user: new SimpleUser(user.name) };
 *   },
 * };
 */
export interface AuthenticationBackend {
  authenticate(conn: HTTPConnection): AuthResult | null | Promise<AuthResult | null>;
}

/** Thrown by a backend for credentials that are present but wrong; the middleware's `onError` answers it (400 by default). */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export interface RequiresOptions {
  /** The status when a scope is missing and there is no `redirect`. Default 403. */
  status?: number;
  /** The name of a route to redirect to instead (a login page); `?next=` carries the URL asked for. */
  redirect?: string;
}

/**
 * Guard a handler: it runs only when `request.auth.scopes` has every scope listed. Otherwise the
 * client is redirected (`redirect`, with `?next=<the URL it asked for>`) or gets
 * `HTTPException(status)`: 403 by default. Needs AuthenticationMiddleware.
 *
 * @example
 * app.get('/admin', requires(['authenticated', 'admin'], { redirect: 'login' })((request) => new HTMLResponse(`hello ${request.user.displayName}`)));
 * app.get('/me', requires('authenticated')((request) => new JSONResponse({ name: request.user.displayName })));
 */
export function requires(scopes: string | readonly string[], options: RequiresOptions = {}) {
  const needed = typeof scopes === 'string' ? [scopes] : [...scopes];
  return <Conn extends HTTPConnection, Rest extends unknown[], Result extends Response | Promise<Response>>(
    handler: (conn: Conn, ...rest: Rest) => Result,
  ): ((conn: Conn, ...rest: Rest) => Result | Response) => {
    const guarded = (conn: Conn, ...rest: Rest): Result | Response => {
      const granted = conn.auth.scopes;
      if (needed.every((scope) => granted.includes(scope))) return handler(conn, ...rest);
      if (options.redirect !== undefined && conn.scope.type === 'http') {
        const target = conn.urlFor(options.redirect).replace({ query: new URLSearchParams({ next: conn.url.href }).toString() });
        return new RedirectResponse(target.href, { status: 303 });
      }
      throw new HTTPException(options.status ?? 403);
    };
    Object.defineProperty(guarded, 'name', { value: handler.name });
    return guarded;
  };
}
