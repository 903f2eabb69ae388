import type { App as GatewayApp, HttpScope, WebSocketScope } from '@portico/protocol';
import { checkBoolean, checkOptions, checkStrings } from '../arguments';
import { URL } from '../datastructures';
import { RedirectResponse } from '../responses/redirect';
import { PlainTextResponse } from '../responses/text';
import { refuse } from './refuse';

export interface TrustedHostOptions {
  /** Host names this app answers for: `'example.com'`, `'*.example.com'` (any subdomain), or `'*'`. Default `['*']`. */
  allowedHosts?: readonly string[];
  /** When `www.<host>` is allowed but `<host>` is not, redirect to the www host instead of refusing. Default true. */
  wwwRedirect?: boolean;
}

/**
 * Refuse requests whose `Host` header names a host the app does not serve (400 "Invalid host
 * header"), a guard against Host-header attacks (poisoned password-reset links, cache poisoning).
 * The port is ignored. Applies to websocket handshakes too.
 *
 * @example
 * new Middleware(TrustedHostMiddleware, { allowedHosts: ['example.com', '*.example.com'] });
 */
export function TrustedHostMiddleware(app: GatewayApp, options: TrustedHostOptions | undefined): GatewayApp {
  const { patterns, wwwRedirect } = trustedHostSettings(options);
  if (patterns.includes('*')) return app;
  const exact = new Set(patterns.filter((pattern) => !pattern.startsWith('*.')));
  const suffixes = patterns.filter((pattern) => pattern.startsWith('*.')).map((pattern) => pattern.slice(1));
  const allowed = (host: string): boolean => exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);

  return async function trustedHost(scope, receive, send) {
    if (scope.type === 'lifespan') return app(scope, receive, send);
    const host = hostName(scope);
    if (host !== null && allowed(host)) return app(scope, receive, send);
    if (host !== null && wwwRedirect && scope.type === 'http' && exact.has(`www.${host}`)) {
      const url = URL.fromScope(scope);
      return new RedirectResponse(url.replace({ hostname: `www.${url.hostname}` }).href).handle(scope, receive, send);
    }
    return refuse(scope, receive, send, new PlainTextResponse('Invalid host header', { status: 400 }));
  };
}

// Run by new Middleware(TrustedHostMiddleware, options): wrong options fail when the app is configured.
TrustedHostMiddleware.checkOptions = (options: TrustedHostOptions | undefined): void => void trustedHostSettings(options);

function trustedHostSettings(given: TrustedHostOptions | undefined): { patterns: string[]; wwwRedirect: boolean } {
  const options = checkOptions(given, 'new Middleware(TrustedHostMiddleware, options)', { allowedHosts: true, wwwRedirect: true });
  const patterns = (checkStrings(options.allowedHosts, 'TrustedHostMiddleware({ allowedHosts })') ?? ['*']).map((pattern) => pattern.toLowerCase());
  for (const pattern of patterns) {
    if (pattern !== '*' && pattern.slice(pattern.startsWith('*.') ? 2 : 0).includes('*')) {
      throw new TypeError(`TrustedHostMiddleware allowedHosts: '${pattern}' may use '*' only as the whole pattern or as a leading '*.'`);
    }
  }
  return { patterns, wwwRedirect: checkBoolean(options.wwwRedirect, 'TrustedHostMiddleware({ wwwRedirect })') ?? true };
}

/** The Host header's name, lower case, without port or IPv6 brackets; null when there is none. */
function hostName(scope: HttpScope | WebSocketScope): string | null {
  for (const [name, value] of scope.headers) {
    if (name !== 'host') continue;
    const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::\d*)?$/.exec(value.trim());
    return match ? (match[1] ?? match[2]!).toLowerCase() : null;
  }
  return null;
}
