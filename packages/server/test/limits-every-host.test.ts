/**
 * One admission for every host: limitConcurrency (503) and limitMaxRequests (a graceful stop) run
 * against HTTP/1.1, HTTP/2, FastCGI and WebSocket upgrades alike.
 */
import { connect as connectHttp2 } from 'node:http2';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import type { ServerOptions } from '@portico/server';
import WebSocket from 'ws';
import { FastCgiClient, requestParams } from './support/fastcgi-client';
import { rawRequest } from './support/raw-http';
import { deferred, useServers } from './support/servers';

/** How a host's client asks for `path`: the HTTP status it got, 101 for an opened WebSocket. */
interface HostUnderTest {
  name: string;
  options: ServerOptions;
  request(port: number, path: string): Promise<number>;
}

const hosts: HostUnderTest[] = [
  {
    name: 'HTTP/1.1',
    options: {},
    request: async (port, path) => (await rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`)).status,
  },
  {
    name: 'HTTP/2',
    options: { http: '2' },
    request: (port, path) =>
      new Promise((resolve, reject) => {
        const session = connectHttp2(`http://127.0.0.1:${port}`).on('error', reject);
        const stream = session.request({ ':path': path });
        stream.on('response', (headers) => resolve(Number(headers[':status']))).on('error', reject);
        stream.resume().on('end', () => session.close());
      }),
  },
  {
    name: 'FastCGI',
    options: { interface: 'fastcgi' },
    request: async (port, path) => {
      const client = await FastCgiClient.connect(port);
      client.begin(1, requestParams('GET', path));
      client.stdin(1);
      const { head } = await client.response(1);
      client.close();
      return Number(/^Status: (\d+)/m.exec(head)?.[1] ?? 200);
    },
  },
  {
    name: 'WebSocket upgrades',
    options: {},
    request: (port, path) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
        ws.once('upgrade', () => resolve(101));
        ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.once('error', reject);
      }),
  },
];

/** Answers HTTP requests and accepts WebSockets; `/slow` holds its request (or connection) until `release`. */
function holdingApp(release: Promise<void>, holding: () => void): App {
  return async (scope, receive, send) => {
    if (scope.type === 'lifespan') return;
    const slow = scope.path === '/slow';
    if (scope.type === 'websocket') {
      await receive();
      await send({ type: 'websocket.accept' });
      if (slow) holding();
      if (slow) await release;
      await send({ type: 'websocket.close' });
      return;
    }
    if (slow) holding();
    if (slow) await release;
    await respond(send, 200, scope.path);
  };
}

const served = (status: number): boolean => status === 200 || status === 101;

describe.each(hosts)('$name', ({ options, request }) => {
  const start = useServers();

  it('answers 503 beyond limitConcurrency requests in flight, and serves again once they finish', async () => {
    const release = deferred();
    const holding = deferred();
    const { port } = await start(holdingApp(release.promise, holding.resolve), { ...options, limitConcurrency: 1 });
    const slow = request(port, '/slow');
    await holding.promise;
    expect(await request(port, '/other')).toBe(503);
    release.resolve();
    expect(served(await slow)).toBe(true);
    // The place is given back once the app is done, a moment after the response.
    let status = 503;
    for (let attempt = 0; attempt < 50 && status === 503; attempt++) status = await request(port, '/other');
    expect(served(status)).toBe(true);
  });

  it('stops by itself after limitMaxRequests requests, and then refuses connections', async () => {
    const { server, port, logs } = await start(holdingApp(Promise.resolve(), () => undefined), { ...options, limitMaxRequests: 2 });
    expect(served(await request(port, '/1'))).toBe(true);
    expect(served(await request(port, '/2'))).toBe(true);
    await server.closed;
    expect(logs).toContain('WARNING:  Maximum request limit of 2 reached.');
    const refused = await new Promise<string>((resolve) => connect(port, '127.0.0.1').on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')));
    expect(refused).toBe('ECONNREFUSED');
  });
});
