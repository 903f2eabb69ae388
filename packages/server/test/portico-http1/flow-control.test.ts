/**
 * Back-pressure and pipelining on both HTTP/1.1 implementations: a request body the app does not
 * read stops the reading of the socket, a response the client does not read holds the app's
 * sends, a long pipeline is answered whole and in order, and an answer given before the body was
 * read leaves the connection usable.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { readBody, respond } from '@portico/protocol/conformance';
import type { ServerOptions } from '@portico/server';
import { RawClient } from '../support/raw-http';
import { deferred, httpApp, useServers } from '../support/servers';

const start = useServers();
const MiB = 1024 * 1024;

/** Resolves once `value()` stayed the same for `quietMs`. */
async function settled(value: () => number, quietMs = 200): Promise<number> {
  for (;;) {
    const before = value();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    if (value() === before) return before;
  }
}

describe.each(['node', 'portico'] as const)('http1: %s', (http1) => {
  const options: ServerOptions = { http1, logLevel: 'warning' };

  it('stops reading a request body the app does not read, then loses no byte of it', async () => {
    const reading = deferred();
    const { port } = await start(
      httpApp(async (_scope, receive, send) => {
        await reading.promise;
        const { body } = await readBody(receive);
        await respond(send, 200, String(body.length));
      }),
      options,
    );
    const client = await RawClient.connect({ port });
    const size = 48 * MiB;
    client.write(`POST / HTTP/1.1\r\nHost: t\r\nContent-Length: ${size}\r\n\r\n`);
    for (let sent = 0; sent < size; sent += MiB) client.write(Buffer.alloc(MiB, 1));
    // Kernel buffers take a few MiB; the rest waits in the client while the app does not read.
    expect(await settled(() => client.socket.writableLength)).toBeGreaterThan(16 * MiB);
    reading.resolve();
    const response = await client.readResponse();
    client.close();
    expect(response.body.toString()).toBe(String(size));
  });

  it("holds the app's sends while the client does not read the response", async () => {
    let sent = 0;
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['content-length', String(64 * MiB)]] });
        for (let i = 0; i < 64; i++) {
          await send({ type: 'http.response.body', body: Buffer.alloc(MiB, 2), moreBody: i < 63 });
          sent++;
        }
      }),
      options,
    );
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.pause();
    socket.write('GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n');
    // Kernel buffers take a few MiB; the app waits for the rest to drain.
    expect(await settled(() => sent)).toBeLessThan(48);
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await once(socket, 'close');
    expect([received > 64 * MiB, sent]).toEqual([true, 64]);
  });

  it('answers a pipeline of 100 requests, all of them, in order', async () => {
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        // Later requests finish first: order is the connection's to keep.
        await new Promise((resolve) => setTimeout(resolve, scope.path === '/0' ? 50 : 0));
        await respond(send, 200, scope.path);
      }),
      options,
    );
    const client = await RawClient.connect({ port });
    client.write(Array.from({ length: 100 }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: t\r\n\r\n`).join(''));
    const paths: string[] = [];
    for (let i = 0; i < 100; i++) paths.push((await client.readResponse()).body.toString());
    client.close();
    expect(paths).toEqual(Array.from({ length: 100 }, (_, i) => `/${i}`));
  });

  it('reads and drops the rest of a body the app answered without reading, and serves the next request', async () => {
    const { port } = await start(httpApp(async (scope, _receive, send) => respond(send, scope.path === '/upload' ? 401 : 200, scope.path)), options);
    const client = await RawClient.connect({ port });
    client.write(`POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: ${4 * MiB}\r\n\r\n`);
    const refused = await client.readResponse();
    client.write(Buffer.alloc(4 * MiB, 3));
    client.write('GET /next HTTP/1.1\r\nHost: t\r\n\r\n');
    const next = await client.readResponse();
    client.close();
    expect([refused.status, refused.header('connection'), next.status, next.body.toString()]).toEqual([401, 'keep-alive', 200, '/next']);
  });

  it('closes a connection idle for timeoutKeepAlive after a dropped body has ended', async () => {
    const { port } = await start(httpApp(async (_scope, _receive, send) => respond(send, 401, 'no')), { ...options, timeoutKeepAlive: 0.2 });
    const client = await RawClient.connect({ port });
    client.write('POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhalf ');
    expect((await client.readResponse()).status).toBe(401);
    client.write('half.');
    const began = Date.now();
    await client.untilClosed();
    expect(Date.now() - began).toBeGreaterThanOrEqual(150);
  });

  it('answers 408 to a second request whose head stalls on a kept connection', async () => {
    const { port } = await start(httpApp(async (_scope, _receive, send) => respond(send, 200, 'ok')), { ...options, timeoutHeaders: 0.2 });
    const client = await RawClient.connect({ port });
    client.write('GET /1 HTTP/1.1\r\nHost: t\r\n\r\n');
    expect((await client.readResponse()).status).toBe(200);
    client.write('GET /2 HTTP/1.1\r\nHost: t\r\nX-Slow: ');
    expect((await client.untilClosed()).toString()).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});
