import type { App as GatewayApp } from '@portico/protocol';
import { checkFunction, checkOptions, describeValue } from '../arguments';
import { AuthCredentials, AuthenticationError, UnauthenticatedUser, type AuthenticationBackend, type BaseUser } from '../authentication';
import { defineScopeAccessor, HTTPConnection, type FrameworkScopeKeys } from '../connection';
import { PlainTextResponse } from '../responses/text';
import type { Response } from '../responses/response';
import type { PathParamsRecord } from '../routing/path-pattern';
import { refuse } from './refuse';

declare module '../connection' {
  interface FrameworkScopeKeys {
    /** Set by AuthenticationMiddleware. */
    user?: BaseUser;
    /** Set by AuthenticationMiddleware. */
    auth?: AuthCredentials;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merging declarations repeat the class's type parameters
  interface HTTPConnection<Params extends object = PathParamsRecord> {
    /** Who is asking (AuthenticationMiddleware): an UnauthenticatedUser when nobody signed in. */
    readonly user: BaseUser;
    /** The scopes the credentials grant (AuthenticationMiddleware), as `requires()` checks them. */
    readonly auth: AuthCredentials;
  }
}

defineScopeAccessor('user', 'AuthenticationMiddleware', '{ backend }');
defineScopeAccessor('auth', 'AuthenticationMiddleware', '{ backend }');

export interface AuthenticationOptions {
  backend: AuthenticationBackend;
  /**
   * The answer to credentials the backend rejected (an AuthenticationError). Default: 400 with
   * the error's message. Return a 401 with `WWW-Authenticate` for an API. A websocket handshake
   * gets it as a denial response when the host offers one, and is closed (1008) otherwise.
   */
  onError?: (conn: HTTPConnection, error: AuthenticationError) => Response | Promise<Response>;
}

const defaultOnError = (_conn: HTTPConnection, error: AuthenticationError): Response => new PlainTextResponse(error.message, { status: 400 });

/**
 * Ask the backend who is on each connection (HTTP requests and websocket handshakes) and put the
 * answer on it: `request.user` (an UnauthenticatedUser when the backend returns null) and
 * `request.auth` (the credentials' scopes, which `requires()` checks). Errors other than
 * AuthenticationError are not caught: they are the app's 500.
 *
 * @example
 * new App({
 *   middleware: [new Middleware(AuthenticationMiddleware, {
 *     backend: bearerTokens,
 *     onError: (_conn, error) => new JSONResponse({ error: error.message }, { status: 401, headers: { 'www-authenticate': 'Bearer' } }),
 *   })],
 * });
 */
export function AuthenticationMiddleware(app: GatewayApp, options: AuthenticationOptions): GatewayApp {
  const { backend, onError = defaultOnError } = authenticationSettings(options);

  return async function authentication(scope, receive, send) {
    if (scope.type === 'lifespan') return app(scope, receive, send);
    const conn = new HTTPConnection(scope);
    let result;
    try {
      result = await backend.authenticate(conn);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      return refuse(scope, receive, send, await onError(conn, error));
    }
    const keys = scope as FrameworkScopeKeys;
    keys.auth = result?.credentials ?? new AuthCredentials();
    keys.user = result?.user ?? new UnauthenticatedUser();
    return app(scope, receive, send);
  };
}

// Run by new Middleware(AuthenticationMiddleware, options): wrong options fail when the app is configured.
AuthenticationMiddleware.checkOptions = (options: AuthenticationOptions): void => void authenticationSettings(options);

function authenticationSettings(given: AuthenticationOptions): AuthenticationOptions {
  const options = checkOptions(given, 'new Middleware(AuthenticationMiddleware, options)', { backend: true, onError: true });
  const backend: unknown = options.backend;
  if (typeof (backend as Partial<AuthenticationBackend> | null | undefined)?.authenticate !== 'function') {
    throw new TypeError(`AuthenticationMiddleware needs a backend: an object with an authenticate(conn) method, got ${describeValue(backend)}`);
  }
  checkFunction(options.onError, 'AuthenticationMiddleware({ onError })', 'a function (conn, error) => Response');
  return options;
}
