import type { App as GatewayApp } from '@portico/protocol';
import { checkBoolean, checkOptions } from '../arguments';
import { URL } from '../datastructures';
import { RedirectResponse } from '../responses/redirect';
import { refuse } from './refuse';

export interface HTTPSRedirectOptions {
  /** 308 Permanent Redirect (browsers remember it) instead of 307 Temporary Redirect. Default false. */
  permanent?: boolean;
}

/**
 * Send every plain `http` request to its `https` twin (and `ws` handshakes to `wss`), keeping
 * method, path, query and a non-default port; 307 (or 308 with `permanent`), so a POST stays a POST.
 * A websocket handshake is refused with the redirect when the host offers denial responses, and
 * closed otherwise. Behind a TLS-terminating proxy, let the server's proxy-headers setting set the
 * scheme, or every request looks like plain http.
 *
 * @example
 * new App({ middleware: [new Middleware(HTTPSRedirectMiddleware)] });
 */
export function HTTPSRedirectMiddleware(app: GatewayApp, options: HTTPSRedirectOptions | undefined): GatewayApp {
  const status = permanent(options) ? 308 : 307;
  return async function httpsRedirect(scope, receive, send) {
    if (scope.type === 'lifespan' || scope.scheme === 'https' || scope.scheme === 'wss') return app(scope, receive, send);
    const url = URL.fromScope(scope);
    const secure = url.replace({ scheme: scope.type === 'websocket' ? 'wss' : 'https', port: url.port === 80 ? null : url.port });
    return refuse(scope, receive, send, new RedirectResponse(secure.href, { status }));
  };
}

// Run by new Middleware(HTTPSRedirectMiddleware, options): wrong options fail when the app is configured.
HTTPSRedirectMiddleware.checkOptions = (options: HTTPSRedirectOptions | undefined): void => void permanent(options);

function permanent(given: HTTPSRedirectOptions | undefined): boolean {
  const options = checkOptions(given, 'new Middleware(HTTPSRedirectMiddleware, options)', { permanent: true });
  return checkBoolean(options.permanent, 'HTTPSRedirectMiddleware({ permanent })') ?? false;
}
