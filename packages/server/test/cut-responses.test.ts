/** A response the app breaks off after it started: the client gets every byte sent, then a cut it can tell from an end. */
import { join } from 'node:path';
import { constants } from 'node:http2';
import { describe, expect, it } from '@jest/globals';
import type { HeaderList } from '@portico/protocol';
import { toFetchHandler } from '@portico/server';
import { cgiEnvironment, runPorticoCgi } from './support/cgi';
import { FIXTURES } from './support/cli';
import { connectHttp2 } from './support/http2-client';
import { RawClient } from './support/raw-http';
import { deferred, httpApp, useServers } from './support/servers';

const start = useServers();
const quiet = { logLevel: 'critical' as const };

/** Sends `headers`, then 'parti' with more to come, then throws (or, with `returns`, just returns). */
function breakingApp(headers: HeaderList, returns = false) {
  return httpApp(async (scope, _receive, send) => {
    if (scope.path === '/ok') {
      await send({ type: 'http.response.start', status: 200, headers: [['content-length', '2']] });
      await send({ type: 'http.response.body', body: Buffer.from('ok') });
      return;
    }
    await send({ type: 'http.response.start', status: 200, headers });
    await send({ type: 'http.response.body', body: Buffer.from('parti'), moreBody: !(returns && headers.length > 0) });
    if (!returns) throw new Error('failure mid-body');
  });
}

async function received(port: number, request: string): Promise<string> {
  const client = await RawClient.connect({ port });
  client.write(request);
  return (await client.untilClosed()).toString('latin1');
}

const GET = 'GET /cut HTTP/1.1\r\nHost: test\r\n\r\n';

describe('HTTP/1.1', () => {
  it('sends the head and the chunk sent, then closes without the last chunk', async () => {
    const { port } = await start(breakingApp([]), quiet);
    const bytes = await received(port, GET);
    expect(bytes).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Transfer-Encoding: chunked\r\n\r\n5\r\nparti\r\n$/);
  });

  it('sends the head and the bytes sent under a Content-Length, then closes short of it', async () => {
    const { port } = await start(breakingApp([['content-length', '10']]), quiet);
    expect(await received(port, GET)).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-length: 10\r\n[\s\S]*\r\n\r\nparti$/);
  });

  it('sends the bytes of a body that ends short of its Content-Length, then closes', async () => {
    // The app ends the body after 5 of 10 bytes: Node refuses the end, and the cycle cuts.
    const { port } = await start(breakingApp([['content-length', '10']], true), quiet);
    expect(await received(port, GET)).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-length: 10\r\n[\s\S]*\r\n\r\nparti$/);
  });

  it('sends a cut response pipelined behind a slow one after it, then closes', async () => {
    const first = deferred();
    const { port } = await start(
      httpApp(async (scope, _receive, send) => {
        if (scope.path === '/slow') await first.promise;
        await send({ type: 'http.response.start', status: 200, headers: [['content-length', scope.path === '/slow' ? '4' : '10']] });
        await send({ type: 'http.response.body', body: Buffer.from(scope.path === '/slow' ? 'slow' : 'parti'), moreBody: scope.path !== '/slow' });
        if (scope.path !== '/slow') {
          setTimeout(first.resolve, 20); // the cut response is queued behind /slow's when it fails
          throw new Error('failure mid-body');
        }
      }),
      quiet,
    );
    const bytes = await received(port, 'GET /slow HTTP/1.1\r\nHost: test\r\n\r\nGET /cut HTTP/1.1\r\nHost: test\r\n\r\n');
    expect(bytes).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nslowHTTP\/1\.1 200 OK\r\ncontent-length: 10\r\n[\s\S]*\r\n\r\nparti$/);
  });
});

describe('HTTP/2', () => {
  it('sends the head and the data sent, then resets the stream with INTERNAL_ERROR', async () => {
    const { url } = await start(breakingApp([]), { ...quiet, http: '2' });
    const session = await connectHttp2(url);
    try {
      const stream = session.request({ ':path': '/cut' });
      const chunks: Buffer[] = [];
      let status = 0;
      stream.on('response', (head) => (status = Number(head[':status'])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', () => undefined);
      await new Promise((resolve) => stream.once('close', resolve));
      expect([status, Buffer.concat(chunks).toString(), stream.rstCode]).toEqual([200, 'parti', constants.NGHTTP2_INTERNAL_ERROR]);
    } finally {
      session.destroy();
    }
  });
});

describe('CGI', () => {
  it('writes the head and the bytes sent to stdout, then exits 1', async () => {
    const run = await runPorticoCgi([join(FIXTURES, 'cgi-app.js')], cgiEnvironment({ PATH_INFO: '/cut' }));
    expect([run.code, run.stdout.toString()]).toEqual([1, 'Status: 200 OK\r\ncontent-type: text/plain\r\n\r\npartial']);
  });
});

describe('fetch handler', () => {
  it('gives a body stream that yields the bytes sent, even those not read yet when the app failed, then errors', async () => {
    const failed = deferred();
    const app = httpApp(async (_scope, _receive, send) => {
      await send({ type: 'http.response.start', status: 200 });
      await send({ type: 'http.response.body', body: Buffer.from('parti'), moreBody: true });
      setImmediate(failed.resolve);
      throw new Error('failure mid-body');
    });
    const response = await toFetchHandler(app, { ...quiet, lifespan: 'off' })(new Request('http://test/cut'));
    await failed.promise; // the chunk is still queued in the stream, unread
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect([response.status, Buffer.from(first.value ?? []).toString()]).toEqual([200, 'parti']);
    await expect(reader.read()).rejects.toThrow(/the body is incomplete/);
  });
});
