import { describe, expect, it } from '@jest/globals';
import {
  AuthenticationMiddleware,
  CompressionMiddleware,
  CORSMiddleware,
  HTTPSRedirectMiddleware,
  Middleware,
  SessionMiddleware,
  TrustedHostMiddleware,
  type AuthenticationBackend,
} from '@portico/framework';
import { expectTypeError } from './support/type-error';

/**
 * The middleware options: each wrong one is a TypeError in `new Middleware(factory, options)`,
 * when the app is configured, not when its stack is built on the first request.
 */
const bad = (value: unknown): never => value as never;
const backend: AuthenticationBackend = { authenticate: async () => null };

const cases: ReadonlyArray<[string, () => unknown, string]> = [
  ['CORS options not an object', () => new Middleware(CORSMiddleware, bad('*')), 'new Middleware(CORSMiddleware, options) takes an options object { allowOrigins, allowOriginRegex, allowMethods, allowHeaders, allowCredentials, exposeHeaders, maxAge }, got string "*"'],
  ['CORS unknown option (a typo)', () => new Middleware(CORSMiddleware, bad({ allowOrigin: ['*'] })), "new Middleware(CORSMiddleware, options) has no option 'allowOrigin'; it takes allowOrigins, allowOriginRegex, allowMethods, allowHeaders, allowCredentials, exposeHeaders, maxAge"],
  ['CORS allowOrigins as a string', () => new Middleware(CORSMiddleware, { allowOrigins: bad('https://example.com') }), 'CORSMiddleware({ allowOrigins }) takes an array of strings, got string "https://example.com" (write ["https://example.com"])'],
  ['CORS allowOrigins with a path', () => new Middleware(CORSMiddleware, { allowOrigins: ['https://example.com/'] }), "CORS allowOrigins: 'https://example.com/' is not an origin; write scheme://host[:port] without a path or trailing slash"],
  ['CORS allowMethods entry', () => new Middleware(CORSMiddleware, { allowMethods: bad(['GET', 1]) }), 'CORSMiddleware({ allowMethods }) takes an array of strings, got an array of 2'],
  ['CORS allowCredentials', () => new Middleware(CORSMiddleware, { allowCredentials: bad('true') }), 'CORSMiddleware({ allowCredentials }) takes true or false, got string "true"'],
  ['CORS allowOriginRegex', () => new Middleware(CORSMiddleware, { allowOriginRegex: bad(['^https://']) }), 'CORSMiddleware({ allowOriginRegex }) takes a string or a RegExp, got an array of 1'],
  ['CORS maxAge', () => new Middleware(CORSMiddleware, { maxAge: 1.5 }), 'CORS maxAge is in whole seconds, got 1.5'],
  ['Compression unknown option', () => new Middleware(CompressionMiddleware, bad({ minimum: 10 })), "new Middleware(CompressionMiddleware, options) has no option 'minimum'; it takes minimumSize, encodings"],
  ['Compression encodings as a string', () => new Middleware(CompressionMiddleware, { encodings: bad('gzip') }), "CompressionMiddleware encodings is an array of 'br' and 'gzip', got string \"gzip\""],
  ['Compression minimumSize', () => new Middleware(CompressionMiddleware, { minimumSize: -1 }), 'CompressionMiddleware minimumSize is a number of bytes, got -1'],
  ['TrustedHost allowedHosts as a string', () => new Middleware(TrustedHostMiddleware, { allowedHosts: bad('example.com') }), 'TrustedHostMiddleware({ allowedHosts }) takes an array of strings, got string "example.com" (write ["example.com"])'],
  ['TrustedHost wwwRedirect', () => new Middleware(TrustedHostMiddleware, { wwwRedirect: bad(0) }), 'TrustedHostMiddleware({ wwwRedirect }) takes true or false, got number 0'],
  ['TrustedHost pattern', () => new Middleware(TrustedHostMiddleware, { allowedHosts: ['api.*.com'] }), "TrustedHostMiddleware allowedHosts: 'api.*.com' may use '*' only as the whole pattern or as a leading '*.'"],
  ['HTTPSRedirect permanent', () => new Middleware(HTTPSRedirectMiddleware, { permanent: bad('yes') }), 'HTTPSRedirectMiddleware({ permanent }) takes true or false, got string "yes"'],
  ['HTTPSRedirect unknown option', () => new Middleware(HTTPSRedirectMiddleware, bad({ status: 301 })), "new Middleware(HTTPSRedirectMiddleware, options) has no option 'status'; it takes permanent"],
  ['Session without options', () => new Middleware(SessionMiddleware, bad(undefined)), 'SessionMiddleware needs a secretKey: a long random string (or a list of them, newest first), read from configuration; got undefined'],
  ['Session unknown option', () => new Middleware(SessionMiddleware, bad({ secretKey: 'k', secret_key: 'k' })), "new Middleware(SessionMiddleware, options) has no option 'secret_key'; it takes secretKey, sessionCookie, maxAge, sameSite, httpsOnly, path, domain, store"],
  ['Session httpsOnly', () => new Middleware(SessionMiddleware, { secretKey: 'k', httpsOnly: bad('yes') }), 'SessionMiddleware({ httpsOnly }) takes true or false, got string "yes"'],
  ['Session sessionCookie', () => new Middleware(SessionMiddleware, { secretKey: 'k', sessionCookie: bad(1) }), 'SessionMiddleware({ sessionCookie }) takes a string, got number 1'],
  ['Session maxAge', () => new Middleware(SessionMiddleware, { secretKey: 'k', maxAge: 0 }), 'SessionMiddleware maxAge is a positive number of seconds or null, got 0'],
  ['Authentication without a backend', () => new Middleware(AuthenticationMiddleware, bad({})), 'AuthenticationMiddleware needs a backend: an object with an authenticate(conn) method, got undefined'],
  ['Authentication backend as a function', () => new Middleware(AuthenticationMiddleware, { backend: bad(async function authenticate() {}) }), 'AuthenticationMiddleware needs a backend: an object with an authenticate(conn) method, got a function (authenticate)'],
  ['Authentication onError', () => new Middleware(AuthenticationMiddleware, { backend, onError: bad(401) }), 'AuthenticationMiddleware({ onError }) takes a function (conn, error) => Response, got number 401'],
  ['Authentication unknown option', () => new Middleware(AuthenticationMiddleware, bad({ backend, onerror: () => null })), "new Middleware(AuthenticationMiddleware, options) has no option 'onerror'; it takes backend, onError"],
];

describe('constructor checks: middleware options', () => {
  it.each(cases)('%s', (_name, build, message) => expectTypeError(build, message));

  it('accepts the defaults', () => {
    expect(() => [new Middleware(CompressionMiddleware), new Middleware(TrustedHostMiddleware), new Middleware(HTTPSRedirectMiddleware)]).not.toThrow();
    expect(() => new Middleware(CORSMiddleware, {})).not.toThrow();
  });
});
