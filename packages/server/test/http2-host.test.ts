/** The HTTP/2 host: ALPN with an HTTP/1.1 fallback, h2c, pseudo-headers, independent streams, flow control, resets, GOAWAY. */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { HttpScope } from '@portico/protocol';
import { WebSocket } from 'ws';
import { readBody, respond, respondJson, text, utf8, type ConformanceRequest } from '@portico/protocol/conformance';
import { makeCertificate, type TestCertificate } from './support/certificates';
import { connectHttp2, requestOverHttp2 } from './support/http2-client';
import { deferred, httpApp, useServers } from './support/servers';
import { schemeEcho } from './support/websockets';

const start = useServers();
const sessions: ClientHttp2Session[] = [];
afterEach(() => sessions.splice(0).forEach((session) => session.destroy()));

async function h2(origin: string, ca?: Buffer): Promise<ClientHttp2Session> {
  const session = await connectHttp2(origin, ca === undefined ? {} : { ca });
  sessions.push(session);
  return session;
}

const scopeEcho = httpApp(async (scope, receive, send) => {
  await readBody(receive);
  const { httpVersion, scheme, method, path, headers } = scope;
  await respondJson(send, { httpVersion, scheme, method, path, headers });
});

describe('TLS with ALPN', () => {
  let dir: string;
  let certificate: TestCertificate;
  let ca: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'portico-h2-'));
    certificate = makeCertificate(dir);
    ca = readFileSync(certificate.certfile);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tls = (): { sslKeyfile: string; sslCertfile: string } => ({ sslKeyfile: certificate.keyfile, sslCertfile: certificate.certfile });

  function http1Get(port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, path, ca, servername: 'localhost' }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it("serves h2 and HTTP/1.1 on one port with http: 'auto', each through its own transport", async () => {
    const { port, url } = await start(scopeEcho, { http: 'auto', ...tls() });
    expect(url).toBe(`https://127.0.0.1:${port}`);
    const session = await h2(`https://localhost:${port}`, ca);
    expect(session.alpnProtocol).toBe('h2');
    const overH2 = JSON.parse(text((await requestOverHttp2(session, { method: 'GET', target: '/two' })).body)) as HttpScope;
    expect(overH2).toMatchObject({ httpVersion: '2', scheme: 'https', path: '/two' });
    const overH1 = await http1Get(port, '/one');
    expect(JSON.parse(overH1.body)).toMatchObject({ httpVersion: '1.1', scheme: 'https', path: '/one' });
  });

  it('answers HTTP/1.1 requests on the fallback with the same limits and errors as the HTTP/1.1 host', async () => {
    const { port } = await start(httpApp(async (_scope, receive, send) => respond(send, 200, `${(await readBody(receive)).body.length}`)), {
      http: 'auto',
      maxBodySize: 4,
      ...tls(),
    });
    const small = await http1Get(port, '/');
    expect(small).toEqual({ status: 200, body: '0' });
    const tooLarge = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', ca, servername: 'localhost' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('more than four bytes');
    });
    expect(tooLarge).toBe(413);
  });

  it('counts HTTP/1.1 and HTTP/2 requests against one limitConcurrency', async () => {
    const release = deferred();
    const holding = deferred();
    const { port } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path === '/hold') {
          holding.resolve();
          await release.promise;
        }
        await respond(send, 200, 'ok');
      }),
      { http: 'auto', limitConcurrency: 1, ...tls() },
    );
    const held = http1Get(port, '/hold');
    await holding.promise;
    const session = await h2(`https://localhost:${port}`, ca);
    expect((await requestOverHttp2(session, { method: 'GET', target: '/' })).status).toBe(503);
    release.resolve();
    expect(await held).toEqual({ status: 200, body: 'ok' });
  });

  it("serves WebSockets (wss) on the HTTP/1.1 side of an http: 'auto' port", async () => {
    const { port } = await start(schemeEcho, { http: 'auto', ...tls() });
    const socket = new WebSocket(`wss://localhost:${port}/chat`, { ca });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send('hello');
    const [reply] = (await once(socket, 'message')) as [Buffer];
    expect(reply.toString()).toBe('wss echo: hello');
    socket.close();
  });

  it("closes an HTTP/1.1 connection that never sent a request at once on shutdown, with http: 'auto'", async () => {
    const { server, port } = await start(scopeEcho, { http: 'auto', timeoutGracefulShutdown: 30, ...tls() });
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
    socket.on('error', () => undefined);
    // The session ticket comes once the server has the whole handshake, so the connection is its.
    await once(socket, 'session');
    expect(socket.alpnProtocol).toBe('http/1.1');
    await server.close(); // would wait out the 30 s grace period for the silent connection
    if (!socket.destroyed) await once(socket, 'close');
  });

  it("speaks only h2 with http: '2' (no HTTP/1.1 by ALPN)", async () => {
    const { port } = await start(scopeEcho, { http: '2', ...tls() });
    const session = await h2(`https://localhost:${port}`, ca);
    expect(JSON.parse(text((await requestOverHttp2(session, { method: 'GET', target: '/' })).body))).toMatchObject({ httpVersion: '2' });
    expect(await http1Get(port, '/')).toEqual({ status: 505, body: 'This server speaks HTTP/2 (ALPN h2).' });
  });
});

describe('h2c (prior knowledge)', () => {
  it('maps pseudo-headers as ASGI says: :authority becomes host, none stay in headers, cookies joined', async () => {
    const { url, port } = await start(scopeEcho, { http: '2' });
    const session = await h2(url);
    const response = await requestOverHttp2(session, {
      method: 'POST',
      target: '/p%C3%A5th?x=1',
      headers: [['cookie', 'a=1'], ['x-custom', 'yes'], ['cookie', 'b=2']],
      body: [utf8('body')],
    });
    const seen = JSON.parse(text(response.body)) as HttpScope;
    expect(seen).toMatchObject({ httpVersion: '2', scheme: 'http', method: 'POST', path: '/påth' });
    expect(seen.headers).toEqual([['host', `127.0.0.1:${port}`], ['x-custom', 'yes'], ['cookie', 'a=1; b=2']]);
  });

  it('believes proxy headers from a trusted peer, and serves on a Unix socket', async () => {
    const trusted = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        await respondJson(send, { client: scope.client, scheme: scope.scheme, server: scope.server });
      }),
      { http: '2' },
    );
    const viaProxy = await requestOverHttp2(await h2(trusted.url), {
      method: 'GET',
      target: '/',
      headers: [['x-forwarded-for', '203.0.113.7'], ['x-forwarded-proto', 'https']],
    });
    expect(JSON.parse(text(viaProxy.body))).toMatchObject({ client: { host: '203.0.113.7', port: 0 }, scheme: 'https' });
    const dir = mkdtempSync(join(tmpdir(), 'portico-h2-uds-'));
    try {
      const path = join(dir, 'h2.sock');
      await start(scopeEcho, { http: '2', uds: path });
      const session = connect('http://localhost', { createConnection: () => createConnection(path) });
      sessions.push(session);
      const response = await requestOverHttp2(session, { method: 'GET', target: '/over-uds' });
      expect(JSON.parse(text(response.body))).toMatchObject({ httpVersion: '2', path: '/over-uds' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves streams independently: a slow stream does not hold up another on the same connection', async () => {
    const fastDone = deferred();
    const { url } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path === '/slow') await fastDone.promise;
        await respond(send, 200, scope.path);
      }),
      { http: '2' },
    );
    const session = await h2(url);
    const slow = requestOverHttp2(session, { method: 'GET', target: '/slow' });
    const fast = await requestOverHttp2(session, { method: 'GET', target: '/fast' });
    expect(text(fast.body)).toBe('/fast');
    fastDone.resolve();
    expect(text((await slow).body)).toBe('/slow');
  });

  it("respects flow control: send waits while the client does not read, and the connection's other streams go on", async () => {
    const part = Buffer.alloc(16 * 1024, 97);
    const parts = 256; // 4 MiB, far beyond the 64 KiB stream window
    let sent = 0;
    const finished = deferred<number>();
    const { url } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path !== '/large') return respond(send, 200, 'small');
        await send({ type: 'http.response.start', status: 200 });
        for (let i = 0; i < parts; i++) {
          await send({ type: 'http.response.body', body: part, moreBody: i < parts - 1 });
          sent += part.length;
        }
        finished.resolve(sent);
      }),
      { http: '2' },
    );
    const session = await h2(url);
    const stream = session.request({ ':path': '/large' }, { endStream: true });
    stream.pause(); // a client that does not read
    const firstBytes = deferred();
    stream.once('response', () => firstBytes.resolve());
    await firstBytes.promise;
    expect(text((await requestOverHttp2(session, { method: 'GET', target: '/small' })).body)).toBe('small');
    expect(sent).toBeLessThan(part.length * parts);
    let received = 0;
    stream.on('data', (chunk: Buffer) => (received += chunk.length));
    stream.resume();
    expect(await finished.promise).toBe(part.length * parts);
    await new Promise((resolve) => stream.once('end', resolve));
    expect(received).toBe(part.length * parts);
  });

  it('sends trailers after a streamed body, and none when the app sends none', async () => {
    const { url } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        const withTrailers = scope.path === '/with';
        await send({ type: 'http.response.start', status: 200, trailers: withTrailers });
        await send({ type: 'http.response.body', body: utf8('a'), moreBody: true });
        await send({ type: 'http.response.body', body: utf8('b') });
        if (withTrailers) await send({ type: 'http.response.trailers', headers: [['x-sum', '1'], ['x-sum', '2']] });
      }),
      { http: '2' },
    );
    const session = await h2(url);
    const withTrailers = await requestOverHttp2(session, { method: 'GET', target: '/with' });
    expect([text(withTrailers.body), withTrailers.trailers]).toEqual(['ab', [['x-sum', '1'], ['x-sum', '2']]]);
    const without = await requestOverHttp2(session, { method: 'GET', target: '/without' });
    expect([text(without.body), without.trailers]).toEqual(['ab', []]);
  });

  it('turns RST_STREAM into http.disconnect for an app reading the body', async () => {
    const reading = deferred();
    const seen = deferred<string>();
    const { url } = await start(
      httpApp(async (_scope, receive) => {
        let event = await receive();
        reading.resolve();
        while (event.type === 'http.request' && event.moreBody) event = await receive();
        seen.resolve(event.type === 'http.request' ? 'the body ended' : event.type);
      }),
      { http: '2' },
    );
    const session = await h2(url);
    const stream = session.request({ ':method': 'POST', ':path': '/upload' });
    stream.on('error', () => undefined);
    stream.write('part one');
    await reading.promise;
    // More than the stream window: the END_STREAM that close() queues stays behind it, so the
    // server sees the RST_STREAM before any end of the body.
    stream.write(Buffer.alloc(1024 * 1024));
    stream.close(constants.NGHTTP2_CANCEL);
    expect(await seen.promise).toBe('http.disconnect');
  });

  it('answers 503 over limitConcurrency and keeps the connection', async () => {
    const release = deferred();
    const { url } = await start(
      httpApp(async (scope, receive, send) => {
        await readBody(receive);
        if (scope.path === '/hold') await release.promise;
        await respond(send, 200, 'ok');
      }),
      { http: '2', limitConcurrency: 1 },
    );
    const session = await h2(url);
    const held = requestOverHttp2(session, { method: 'GET', target: '/hold' });
    await new Promise((resolve) => setImmediate(resolve));
    expect((await requestOverHttp2(session, { method: 'GET', target: '/more' })).status).toBe(503);
    release.resolve();
    expect((await held).status).toBe(200);
  });

  it('refuses a header list over maxHeaderSize: 431 in the first flight, a stream reset once the limit is acknowledged', async () => {
    const { url } = await start(scopeEcho, { http: '2', maxHeaderSize: 1024 });
    const big: ConformanceRequest = { method: 'GET', target: '/', headers: [['x-big', 'x'.repeat(4096)]] };
    const session = connect(url); // the request leaves with the preface, before the server's SETTINGS arrive
    sessions.push(session);
    expect((await requestOverHttp2(session, big)).status).toBe(431);
    await new Promise((resolve) => (session.remoteSettings.maxHeaderListSize === 1024 ? resolve(null) : session.once('remoteSettings', resolve)));
    await expect(requestOverHttp2(session, big)).rejects.toThrow('NGHTTP2_ENHANCE_YOUR_CALM');
    expect((await requestOverHttp2(await h2(url), { method: 'GET', target: '/' })).status).toBe(200);
  });

  it('answers 413 to a streamed body over maxBodySize, and the connection serves on', async () => {
    const { url } = await start(
      httpApp(async (_scope, receive, send) => respond(send, 200, `${(await readBody(receive)).body.length}`)),
      { http: '2', maxBodySize: 1000 },
    );
    const session = await h2(url);
    const chunks = [Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)];
    const response = await requestOverHttp2(session, { method: 'POST', target: '/', body: chunks });
    expect([response.status, text(response.body)]).toEqual([413, 'Payload Too Large']);
    expect((await requestOverHttp2(session, { method: 'POST', target: '/', body: [Buffer.alloc(10)] })).status).toBe(200);
  });

  it('sends 100 Continue when the app reads a body announced with Expect: 100-continue', async () => {
    const { url } = await start(
      httpApp(async (_scope, receive, send) => respond(send, 200, `read ${(await readBody(receive)).body.length} bytes`)),
      { http: '2' },
    );
    const session = await h2(url);
    const stream = session.request({ ':method': 'POST', ':path': '/', expect: '100-continue' });
    await new Promise((resolve) => stream.once('continue', resolve));
    stream.end('after the 100');
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    await new Promise((resolve) => stream.once('end', resolve));
    expect(body).toBe('read 13 bytes');
  });

  it('sends GOAWAY on a connection idle for timeoutKeepAlive', async () => {
    const { url } = await start(scopeEcho, { http: '2', timeoutKeepAlive: 0.2 });
    const session = await h2(url);
    expect((await requestOverHttp2(session, { method: 'GET', target: '/' })).status).toBe(200);
    await new Promise((resolve) => session.once('goaway', resolve));
    await new Promise((resolve) => session.once('close', resolve));
    expect(session.closed).toBe(true);
  });

  it('closes gracefully with GOAWAY: the stream in flight finishes, new streams are refused', async () => {
    const started = deferred();
    const release = deferred();
    const { server, url } = await start(
      httpApp(async (_scope, receive, send) => {
        await readBody(receive);
        started.resolve();
        await release.promise;
        await respond(send, 200, 'finished');
      }),
      { http: '2' },
    );
    const session = await h2(url);
    const goaway = deferred();
    session.once('goaway', () => goaway.resolve());
    const inFlight = requestOverHttp2(session, { method: 'GET', target: '/' });
    await started.promise;
    const closed = server.close();
    await goaway.promise;
    expect(() => session.request({ ':path': '/late' })).toThrow();
    release.resolve();
    expect(text((await inFlight).body)).toBe('finished');
    await closed;
  });
});
