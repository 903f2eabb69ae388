/**
 * Security at the server: an app-sent header with CR, LF or NUL never splits the response (500,
 * the rule logged), every request limit answers with the status the server uses (431 for a long
 * URL, a big head or many headers, 413 over maxBodySize, 408 for a slow head, 503 over
 * limitConcurrency, WebSocket 1009 over wsMaxSize), and Host-header abuse is refused or kept
 * harmless (two Hosts: 400; an absolute-form target never replaces the Host the app checks).
 */
import { describe, expect, it } from '@jest/globals';
import type { HeaderList } from '@portico/protocol';
import { readBody } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from '../support/raw-http';
import { deferred, httpApp, useServers } from '../support/servers';
import { acceptAndWatch, closeOf, opened } from '../support/websockets';

const start = useServers();

/** Sends the headers named by the path, and reports what it saw: `<path> <header count> <host>`. */
const INJECTIONS: Record<string, HeaderList> = {
  '/cr-lf-in-value': [['x-note', 'a\r\nx-injected: 1']],
  '/lf-in-value': [['x-note', 'a\nx-injected: 1']],
  '/cr-in-value': [['x-note', 'a\rx-injected: 1']],
  '/nul-in-value': [['x-note', 'a\0b']],
  '/cr-lf-in-name': [['x-note\r\nx-injected', '1']],
  '/colon-in-name': [['x-injected: 1\r\nx-note', '1']],
  '/set-cookie-split': [['set-cookie', 'a=1\r\n\r\n<script>alert(1)</script>']],
  '/location-split': [['location', '/next\r\nset-cookie: stolen=1']],
};

const reporter = httpApp(async (scope, receive, send) => {
  await readBody(receive);
  const headers = INJECTIONS[scope.path] ?? [];
  const host = scope.headers.find(([name]) => name === 'host')?.[1] ?? '';
  await send({ type: 'http.response.start', status: 200, headers: [...headers, ['content-type', 'text/plain']] });
  await send({ type: 'http.response.body', body: Buffer.from(`${scope.path} ${scope.headers.length} ${host}`) });
});

const GET = (path: string, headers = 'Host: test\r\n'): string => `GET ${path} HTTP/1.1\r\n${headers}\r\n`;

describe('a response header with CR, LF or NUL from the app', () => {
  it.each(Object.keys(INJECTIONS))('%s: 500 with no injected field on the wire, the rule logged', async (path) => {
    const { port, logs } = await start(reporter);
    const client = await RawClient.connect({ port });
    client.write(GET(path));
    const wire = (await client.untilClosed()).toString('latin1');
    expect(wire).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(wire).not.toMatch(/x-injected|stolen|<script>/i);
    expect(wire.split('\r\n\r\n')).toHaveLength(2); // one head, one body: nothing smuggled after
    expect(logs.join('\n')).toMatch(new RegExp(`Exception in app while handling "GET ${path} HTTP/1\\.1"[^]*(Invalid character in header content|Header name must be a valid HTTP token)`));
    expect((await rawRequest(port, GET('/fine'))).status).toBe(200);
  });
});

describe('limits', () => {
  it('answers 431 to a URL longer than maxHeaderSize allows (there is no separate URL limit; no 414)', async () => {
    const { port } = await start(reporter, { maxHeaderSize: 4096 });
    expect((await rawRequest(port, GET(`/${'a'.repeat(3000)}`))).status).toBe(200);
    expect((await rawRequest(port, GET(`/${'a'.repeat(5000)}`))).status).toBe(431);
  });

  it('answers 431 to one header field over maxHeaderSize', async () => {
    const { port } = await start(reporter, { maxHeaderSize: 4096 });
    expect((await rawRequest(port, GET('/', `Host: test\r\nx-big: ${'a'.repeat(5000)}\r\n`))).status).toBe(431);
  });

  it('answers 431 to many small headers over maxHeaderSize (the count is bounded by the size)', async () => {
    const { port } = await start(reporter, { maxHeaderSize: 4096 });
    const many = Array.from({ length: 1000 }, (_, i) => `x${i}: 1\r\n`).join('');
    expect((await rawRequest(port, GET('/', `Host: test\r\n${many}`))).status).toBe(431);
  });

  it('hands the app every header of a head within maxHeaderSize, never a silently shortened list', async () => {
    const { port } = await start(reporter, { maxHeaderSize: 64 * 1024 });
    const many = Array.from({ length: 2500 }, (_, i) => `x${i}: 1\r\n`).join('');
    const response = await rawRequest(port, GET('/count', `Host: test\r\n${many}x-last: seen\r\n`));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('/count 2502 test');
  });

  it('answers 413 to a declared Content-Length over maxBodySize, and to a chunked body that grows over it', async () => {
    const { port } = await start(reporter, { maxBodySize: 1024 });
    const declared = await rawRequest(port, `POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1025\r\n\r\n${'a'.repeat(1025)}`);
    expect(declared.status).toBe(413);
    const chunk = 'a'.repeat(600);
    const chunked = await rawRequest(port, `POST / HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`);
    expect(chunked.status).toBe(413);
    expect((await rawRequest(port, `POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 1024\r\n\r\n${'a'.repeat(1024)}`)).status).toBe(200);
  });

  it('answers 408 to a head that does not arrive within timeoutHeaders', async () => {
    const { port } = await start(reporter, { timeoutHeaders: 0.3 });
    const client = await RawClient.connect({ port });
    client.write('GET / HTTP/1.1\r\nHost: te');
    const rest = (await client.untilClosed()).toString('latin1');
    expect(rest).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 503 beyond limitConcurrency requests in flight', async () => {
    const release = deferred();
    const holding = httpApp(async (scope, _receive, send) => {
      if (scope.path === '/hold') await release.promise;
      await send({ type: 'http.response.start', status: 200, headers: [] });
      await send({ type: 'http.response.body', body: Buffer.from('done') });
    });
    const { port } = await start(holding, { limitConcurrency: 1 });
    const held = rawRequest(port, GET('/hold'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await rawRequest(port, GET('/other'))).status).toBe(503);
    release.resolve();
    expect((await held).status).toBe(200);
  });

  it('closes a WebSocket with 1009 when a message is over wsMaxSize', async () => {
    const { app, ended } = acceptAndWatch();
    const { url } = await start(app, { wsMaxSize: 100 });
    const ws = await opened(url);
    ws.on('error', () => undefined);
    const closed = closeOf(ws);
    ws.send('x'.repeat(101));
    expect((await closed).code).toBe(1009);
    expect(await ended).toMatchObject({ type: 'websocket.disconnect', code: 1009 });
  });
});

describe('Host header abuse', () => {
  it('answers 400 to two Host headers without calling the app', async () => {
    const { port, logs } = await start(reporter);
    const response = await rawRequest(port, GET('/', 'Host: good.example\r\nHost: evil.example\r\n'));
    expect(response.status).toBe(400);
    expect(logs.join('\n')).toMatch(/more than one Host header/);
    expect(logs.join('\n')).not.toMatch(/"GET \/ HTTP\/1\.1" 200/);
  });

  it('answers 400 to an HTTP/1.1 request without Host', async () => {
    const { port } = await start(reporter);
    expect((await rawRequest(port, 'GET / HTTP/1.1\r\n\r\n')).status).toBe(400);
  });

  it('keeps the Host header for an absolute-form target: the authority in the target never reaches the app as its host', async () => {
    const { port } = await start(reporter);
    const response = await rawRequest(port, GET('http://evil.example/admin', 'Host: good.example\r\n'));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('/admin 1 good.example');
  });
});
