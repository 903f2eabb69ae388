/** Proxy headers change client, scheme and host only when the peer is a trusted proxy. */
import { describe, expect, it } from '@jest/globals';
import { respondJson } from '@portico/protocol/conformance';
import type { ServerOptions } from '@portico/server';
import { rawRequest } from './support/raw-http';
import { httpApp, useServers } from './support/servers';

const start = useServers();

const echoApp = httpApp(async (scope, _receive, send) => {
  const host = scope.headers.find(([name]) => name === 'host')?.[1];
  await respondJson(send, { client: scope.client, scheme: scope.scheme, host });
});

/** What the app saw for a request with these extra header lines, from the test's 127.0.0.1. */
async function seen(options: ServerOptions, headerLines: string[]): Promise<{ client: { host: string; port: number }; scheme: string; host: string }> {
  const { port } = await start(echoApp, options);
  const response = await rawRequest(port, `GET / HTTP/1.1\r\nHost: internal:8000\r\n${headerLines.map((line) => `${line}\r\n`).join('')}\r\n`);
  return JSON.parse(response.body.toString()) as Awaited<ReturnType<typeof seen>>;
}

describe('from a trusted peer', () => {
  it('takes client, scheme and host from X-Forwarded-For/Proto/Host', async () => {
    const view = await seen({}, ['X-Forwarded-For: 203.0.113.7', 'X-Forwarded-Proto: https', 'X-Forwarded-Host: shop.example']);
    expect(view).toEqual({ client: { host: '203.0.113.7', port: 0 }, scheme: 'https', host: 'shop.example' });
  });

  it('takes the nearest untrusted hop, so a client cannot spoof its address by prepending one', async () => {
    const view = await seen({}, ['X-Forwarded-For: 6.6.6.6, 203.0.113.7']);
    expect(view.client).toEqual({ host: '203.0.113.7', port: 0 });
  });

  it('walks past a chain of trusted proxies given as CIDR networks', async () => {
    const view = await seen({ forwardedAllowIps: '127.0.0.1, 10.0.0.0/8' }, ['X-Forwarded-For: 198.51.100.1, 10.1.2.3', 'X-Forwarded-For: 10.9.9.9']);
    expect(view.client).toEqual({ host: '198.51.100.1', port: 0 });
  });

  it('reads RFC 7239 Forwarded (quoted IPv6 with port, proto, host) and prefers it to X-Forwarded-*', async () => {
    const view = await seen({}, [
      'Forwarded: for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711";proto=https;host=shop.example',
      'X-Forwarded-For: 203.0.113.7',
      'X-Forwarded-Proto: http',
    ]);
    expect(view).toEqual({ client: { host: '2001:db8:cafe::17', port: 0 }, scheme: 'https', host: 'shop.example' });
  });
});

describe('ignored', () => {
  it('from a peer that is not in forwardedAllowIps', async () => {
    const view = await seen({ forwardedAllowIps: ['10.0.0.1'] }, ['X-Forwarded-For: 203.0.113.7', 'X-Forwarded-Proto: https', 'Forwarded: for=192.0.2.1;host=evil.example']);
    expect(view).toEqual({ client: { host: '127.0.0.1', port: expect.any(Number) }, scheme: 'http', host: 'internal:8000' });
    expect(view.client.port).toBeGreaterThan(0);
  });

  it('when proxyHeaders is off, even from a trusted peer', async () => {
    const view = await seen({ proxyHeaders: false }, ['X-Forwarded-For: 203.0.113.7', 'X-Forwarded-Proto: https']);
    expect([view.client.host, view.scheme]).toEqual(['127.0.0.1', 'http']);
  });

  it('for a proto that is neither http nor https', async () => {
    const view = await seen({}, ['X-Forwarded-Proto: gopher']);
    expect(view.scheme).toBe('http');
  });
});
