/** Cleartext ports told apart by the HTTP/2 connection preface: `auto` serves HTTP/1.1 and h2c on one port, `2` answers HTTP/1.1 with 505. */
import { once } from 'node:events';
import { request } from 'node:http';
import type { ClientHttp2Session } from 'node:http2';
import { afterEach, describe, expect, it } from '@jest/globals';
import { readBody, respondJson, text, utf8 } from '@portico/protocol/conformance';
import { WebSocket } from 'ws';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';
import { RawClient } from './support/raw-http';
import { httpApp, useServers } from './support/servers';
import { schemeEcho } from './support/websockets';

const start = useServers();
const sessions: ClientHttp2Session[] = [];
afterEach(() => sessions.splice(0).forEach((session) => session.destroy()));

const scopeEcho = httpApp(async (scope, receive, send) => {
  const body = text((await readBody(receive)).body);
  await respondJson(send, { httpVersion: scope.httpVersion, scheme: scope.scheme, method: scope.method, path: scope.path, body });
});

function http1Post(port: number, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent: false }, (res) => {
      let received = '';
      res.on('data', (chunk: Buffer) => (received += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: received }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An empty SETTINGS frame (RFC 9113 6.5), what a client sends right after the preface. */
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

describe("http: 'auto' without TLS", () => {
  it('serves an HTTP/1.1 request and an h2c request (prior knowledge) on the same port', async () => {
    const { port, url } = await start(scopeEcho, { http: 'auto' });
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const http1 = await http1Post(port, '/one', 'over HTTP/1.1');
    expect([http1.status, JSON.parse(http1.body)]).toEqual([200, { httpVersion: '1.1', scheme: 'http', method: 'POST', path: '/one', body: 'over HTTP/1.1' }]);
    const session = await connectHttp2(url);
    sessions.push(session);
    const h2 = await requestOverHttp2(session, { method: 'POST', target: '/two', body: [utf8('over h2c')] });
    expect([h2.status, JSON.parse(text(h2.body))]).toEqual([200, { httpVersion: '2', scheme: 'http', method: 'POST', path: '/two', body: 'over h2c' }]);
  });

  it('waits for more bytes while they could still be the preface, whichever way they turn out', async () => {
    const { port } = await start(scopeEcho, { http: 'auto' });
    const http1 = await RawClient.connect({ port });
    http1.write('P');
    await new Promise((resolve) => setTimeout(resolve, 50));
    http1.write('OST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi');
    expect(JSON.parse((await http1.readResponse()).body.toString())).toMatchObject({ httpVersion: '1.1', path: '/slow', body: 'hi' });
    http1.socket.destroy();
    const h2 = await RawClient.connect({ port });
    h2.write(PREFACE.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    h2.write(Buffer.concat([Buffer.from(PREFACE.slice(10), 'latin1'), EMPTY_SETTINGS]));
    while (h2.pending.length < 9) await once(h2.socket, 'data');
    expect(h2.pending[3]).toBe(4); // the server's own SETTINGS frame: it speaks HTTP/2 here
    h2.socket.destroy();
  });

  it('serves WebSockets (ws:) on the HTTP/1.1 side', async () => {
    const { port } = await start(schemeEcho, { http: 'auto' });
    const socket = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send('hello');
    const [reply] = (await once(socket, 'message')) as [Buffer];
    expect(reply.toString()).toBe('ws echo: hello');
    socket.close();
  });

  it('closes a connection that never sent a byte at once on shutdown, and after timeoutHeaders otherwise', async () => {
    const { server, port } = await start(scopeEcho, { http: 'auto', timeoutHeaders: 0.2, timeoutGracefulShutdown: 30 });
    const silent = await RawClient.connect({ port });
    await silent.untilClosed(); // timeoutHeaders
    const waiting = await RawClient.connect({ port });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.close(); // would wait out the 30 s grace period for the silent connection
    await waiting.untilClosed();
  });
});

describe("http: '2' without TLS", () => {
  it('answers an HTTP/1.1 request with 505 and a warning naming the client, and serves h2c', async () => {
    const { port, url, logs } = await start(scopeEcho, { http: '2' });
    const client = await RawClient.connect({ port });
    const clientPort = client.socket.localPort;
    client.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    const response = await client.readResponse();
    expect([response.status, response.body.toString()]).toEqual([505, 'This server speaks HTTP/2 (h2c with prior knowledge).']);
    await client.untilClosed();
    expect(logs).toContain(`WARNING:  HTTP/1.x connection from 127.0.0.1:${clientPort} refused with 505: this port speaks HTTP/2 only (http: '2'; 'auto' serves both)`);
    const session = await connectHttp2(url);
    sessions.push(session);
    expect((await requestOverHttp2(session, { method: 'GET', target: '/' })).status).toBe(200);
  });
});
