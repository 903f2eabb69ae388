/** The extensions the HTTP/1.1 host lists: trailers, pathsend and early hints, seen on the wire. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { respond } from '@portico/protocol/conformance';
import { RawClient, rawRequest } from './support/raw-http';
import { httpApp, useServers } from './support/servers';

const start = useServers();

it('lists exactly the extensions it implements', async () => {
  let listed: string[] = [];
  const { port } = await start(
    httpApp(async (scope, _receive, send) => {
      listed = Object.keys(scope.extensions);
      await respond(send, 200, 'ok');
    }),
  );
  await rawRequest(port, 'GET / HTTP/1.1\r\nHost: test\r\n\r\n');
  expect(listed.sort()).toEqual(['http.response.early_hint', 'http.response.pathsend', 'http.response.trailers']);
});

describe('http.response.trailers', () => {
  it('sends the body chunked and the trailers after it, gathered across moreTrailers events', async () => {
    const { port } = await start(
      httpApp(async (_scope, _receive, send) => {
        await send({ type: 'http.response.start', status: 200, headers: [['trailer', 'x-checksum, x-rows']], trailers: true });
        await send({ type: 'http.response.body', body: Buffer.from('row 1\n'), moreBody: true });
        await send({ type: 'http.response.body', body: Buffer.from('row 2\n') });
        await send({ type: 'http.response.trailers', headers: [['x-checksum', 'abc123']], moreTrailers: true });
        await send({ type: 'http.response.trailers', headers: [['x-rows', '2']] });
      }),
    );
    const response = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: test\r\nTE: trailers\r\n\r\n');
    expect([response.framing, response.body.toString()]).toEqual(['chunked', 'row 1\nrow 2\n']);
    expect(response.trailers).toEqual([
      ['x-checksum', 'abc123'],
      ['x-rows', '2'],
    ]);
  });
});

describe('http.response.pathsend', () => {
  let dir: string;
  let file: string;
  const content = randomBytes(3 * 1024 * 1024 + 17);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-pathsend-'));
    file = join(dir, 'data.bin');
    writeFileSync(file, content);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fileApp = (path: () => string) =>
    httpApp(async (_scope, _receive, send) => {
      await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'application/octet-stream']] });
      await send({ type: 'http.response.pathsend', path: path() });
    });

  it('streams the file intact, with a Content-Length taken from the file', async () => {
    const { url } = await start(fileApp(() => file));
    const response = await fetch(url);
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.headers.get('content-length')).toBe(String(content.length));
    expect(body.equals(content)).toBe(true);
  });

  it('answers HEAD with the Content-Length and no body', async () => {
    const { port } = await start(fileApp(() => file));
    const client = await RawClient.connect({ port });
    client.write('HEAD / HTTP/1.1\r\nHost: test\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n');
    const head = await client.readResponse({ noBody: true });
    expect(head.header('content-length')).toBe(String(content.length));
    // The next response starts right after the HEAD head: no file byte went out.
    await client.untilReceived(12);
    expect(client.pending.subarray(0, 12).toString()).toBe('HTTP/1.1 200');
    client.close();
  });

  it('answers 500 and logs the reason when the file cannot be read', async () => {
    const { port, logs } = await start(fileApp(() => join(dir, 'missing.bin')));
    expect((await rawRequest(port, 'GET / HTTP/1.1\r\nHost: test\r\n\r\n')).status).toBe(500);
    expect(logs.join('\n')).toMatch(/ENOENT.*missing\.bin/);
  });
});

describe('http.response.early_hint', () => {
  const hintingApp = httpApp(async (_scope, _receive, send) => {
    await send({ type: 'http.response.early_hint', links: ['</style.css>; rel=preload; as=style', '</app.js>; rel=preload; as=script'] });
    await respond(send, 200, 'page');
  });

  it('sends 103 Early Hints with the links before the response', async () => {
    const { port } = await start(hintingApp);
    const client = await RawClient.connect({ port });
    client.write('GET / HTTP/1.1\r\nHost: test\r\n\r\n');
    const hints = await client.readResponse();
    const final = await client.readResponse();
    client.close();
    expect(hints.status).toBe(103);
    expect(hints.headers).toEqual([['link', '</style.css>; rel=preload; as=style, </app.js>; rel=preload; as=script']]);
    expect([final.status, final.body.toString()]).toEqual([200, 'page']);
  });

  it('sends no 1xx response to an HTTP/1.0 client (RFC 9110 15.2)', async () => {
    const { port } = await start(hintingApp);
    const response = await rawRequest(port, 'GET / HTTP/1.0\r\n\r\n');
    expect([response.status, response.body.toString()]).toEqual([200, 'page']);
  });
});
