/**
 * The scope builders that read what a client or a web server chose: CGI environments (the CGI and
 * FastCGI hosts) and proxy headers (every host). Random input gives a clear error or a valid scope,
 * never a crash, and proxy headers are believed only through trusted hops.
 */
import { describe, expect, it } from '@jest/globals';
import type { HttpScope } from '@portico/protocol';
import fc from 'fast-check';
import { CgiEnvironmentError, cgiRequest, environmentFromPairs } from '../../src/cgi/environment';
import { PATHSEND_ONLY } from '../../src/extensions';
import { applyProxyHeaders, TrustedProxies } from '../../src/proxy-headers';
import { checkProperty } from '../../../framework/test/reliability/fuzz-settings';

const VARIABLES = ['REQUEST_METHOD', 'REQUEST_URI', 'DOCUMENT_URI', 'QUERY_STRING', 'PATH_INFO', 'SCRIPT_NAME', 'CONTENT_LENGTH', 'CONTENT_TYPE', 'SERVER_PROTOCOL', 'HTTPS', 'REMOTE_ADDR', 'REMOTE_PORT', 'SERVER_NAME', 'SERVER_ADDR', 'SERVER_PORT', 'HTTP_HOST', 'HTTP_COOKIE', 'HTTP_X_FORWARDED_FOR', 'HTTP_X_FORWARDED_PROTO', 'HTTP_FORWARDED', 'HTTP_CONTENT_LENGTH'];
const cgiValue = fc.oneof(
  fc.constantFrom('', 'GET', 'post', '/', '/a/b', '/a%2Fb?x=1', '%', '%zz', '%E9', '//x', '5', '-1', '1e3', '99999999999999999', 'on', 'off', 'HTTP/1.0', 'HTTP/2', '::1', '10.0.0.1', 'https', '?', '#'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const environment = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...VARIABLES), fc.string({ maxLength: 8 })), cgiValue), { maxLength: 14 });

function expectValidScope(scope: HttpScope): void {
  expect(scope.type).toBe('http');
  expect(scope.method).toMatch(/^[!#$%&'*+.^`|~0-9A-Z-]+$/);
  expect(['http', 'https']).toContain(scope.scheme);
  expect(['1.0', '1.1', '2']).toContain(scope.httpVersion);
  for (const value of [scope.path, scope.rawPath, scope.queryString, scope.rootPath]) expect(typeof value).toBe('string');
  for (const [name, value] of scope.headers) {
    expect(name).toBe(name.toLowerCase());
    expect(typeof value).toBe('string');
  }
  for (const endpoint of [scope.client, scope.server]) {
    if (endpoint !== null) expect(Number.isInteger(endpoint.port) && endpoint.port >= 0 && endpoint.port <= 65535).toBe(true);
  }
}

describe('a random CGI environment', () => {
  it('builds a valid scope or throws CgiEnvironmentError, nothing else', async () => {
    const trusted = new TrustedProxies(['10.0.0.0/8', '::1']);
    await checkProperty(
      fc.property(environment, fc.boolean(), (pairs, proxyHeaders) => {
        const settings = { rootPath: '', extensions: PATHSEND_ONLY, state: {}, trusted: proxyHeaders ? trusted : null };
        let result: ReturnType<typeof cgiRequest>;
        try {
          result = cgiRequest(environmentFromPairs(pairs), settings);
        } catch (error) {
          expect(error).toBeInstanceOf(CgiEnvironmentError);
          return;
        }
        expectValidScope(result.scope);
        if (result.declaredBodyLength !== null) expect(Number.isSafeInteger(result.declaredBodyLength) && result.declaredBodyLength >= 0).toBe(true);
      }),
      2000,
    );
  });
});

const ipv4 = fc.tuple(fc.constantFrom(10, 192, 203, 127), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const hop = fc.oneof(ipv4, fc.constantFrom('unknown', '_hidden', '[2001:db8::1]:4711', '"[::1]"', '', ' ', '1.2.3.4:80'), fc.string({ maxLength: 10 }));
const proxyHeader = fc.tuple(
  fc.constantFrom('forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host'),
  fc.oneof(
    fc.array(hop, { maxLength: 4 }).map((hops) => hops.join(', ')),
    fc.array(fc.tuple(fc.constantFrom('for', 'proto', 'host', 'by', 'FOR'), hop), { maxLength: 3 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(';')),
    fc.constantFrom('https', 'HTTP', 'ftp', 'for="\\', 'for=', ';;,,', '"'),
    fc.string({ maxLength: 16 }),
  ),
);

function scopeWith(headers: Array<[string, string]>): HttpScope {
  return {
    type: 'http', gateway: { version: '1.0', specVersion: '1.0' } as HttpScope['gateway'], httpVersion: '1.1', method: 'GET', scheme: 'http',
    path: '/', rawPath: '/', queryString: '', rootPath: '', headers: [['host', 'origin.test'], ...headers],
    client: { host: '10.0.0.9', port: 1234 }, server: { host: '127.0.0.1', port: 80 }, state: {}, extensions: {},
  };
}

describe('random proxy headers', () => {
  const trusted = new TrustedProxies(['10.0.0.0/8']);

  it('never throw; from an untrusted peer they change nothing', async () => {
    await checkProperty(
      fc.property(fc.array(proxyHeader, { maxLength: 4 }), (headers) => {
        const scope = scopeWith(headers);
        applyProxyHeaders(scope, '203.0.113.5', trusted);
        expect(scope).toEqual(scopeWith(headers));
      }),
      1000,
    );
  });

  it('from a trusted peer give a client that is the nearest untrusted hop (or the first), a scheme of http or https, one host header', async () => {
    await checkProperty(
      fc.property(fc.array(proxyHeader, { maxLength: 4 }), (headers) => {
        const scope = scopeWith(headers);
        applyProxyHeaders(scope, '10.0.0.9', trusted);
        expect(['http', 'https']).toContain(scope.scheme);
        expect(scope.headers.filter(([name]) => name === 'host')).toHaveLength(1);
        if (!headers.some(([name]) => name === 'forwarded')) {
          const xff = headers.filter(([name]) => name === 'x-forwarded-for').map(([, v]) => v).join(',').split(',').map((s) => s.trim()).filter(Boolean);
          const expected = [...xff].reverse().find((address) => !trusted.trusts(address)) ?? xff[0];
          expect(scope.client?.host).toBe(expected ?? '10.0.0.9');
        }
      }),
      1000,
    );
  });
});
