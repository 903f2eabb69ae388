/** WebSocket on the HTTP/1.1 host over loopback with the `ws` client: limits, dead peers, handshakes, options. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { ConfigError, Server } from '@portico/server';
import { parseCommand } from '../src/cli/args';
import { makeCertificate } from './support/certificates';
import { RawClient, rawRequest } from './support/raw-http';
import { deferred, useServers } from './support/servers';
import { acceptAndWatch, closeOf, HANDSHAKE, opened, websocketApp } from './support/websockets';

const start = useServers();

it('closes a connection with 1009 when a message is larger than wsMaxSize', async () => {
  const { app, ended } = acceptAndWatch();
  const { url } = await start(app, { wsMaxSize: 1024 });
  const ws = await opened(url);
  ws.on('error', () => undefined);
  const closed = closeOf(ws);
  ws.send(Buffer.alloc(1025));
  expect((await closed).code).toBe(1009);
  expect(await ended).toMatchObject({ type: 'websocket.disconnect', code: 1009 });
});

it('drops a peer that completed the handshake but never answers pings (websocket.disconnect 1006)', async () => {
  const { app, ended } = acceptAndWatch();
  const { port } = await start(app, { wsPingInterval: 0.05, wsPingTimeout: 0.05 });
  const client = await RawClient.connect({ port });
  client.write(HANDSHAKE('/'));
  expect((await client.readResponse({ noBody: true })).status).toBe(101);
  await client.untilClosed(); // the server hung up on us: pings went unanswered
  expect(await ended).toMatchObject({ type: 'websocket.disconnect', code: 1006 });
});

it('keeps a peer that answers pings', async () => {
  const events: string[] = [];
  const app = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept' });
    for (;;) {
      const event = await receive();
      events.push(event.type);
      if (event.type !== 'websocket.receive') return;
      await send({ type: 'websocket.send', text: `pong ${event.text ?? ''}` });
    }
  });
  const { url } = await start(app, { wsPingInterval: 0.02, wsPingTimeout: 0.5 });
  const ws = await opened(url);
  let pings = 0;
  ws.on('ping', () => pings++);
  // The ws client answers pings on its own: after several of them the connection is still open.
  while (pings < 5) await new Promise((resolve) => ws.once('ping', resolve));
  const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
  ws.send('still here');
  expect(await reply).toBe('pong still here');
  expect(events).toEqual(['websocket.receive']);
  ws.close();
});

it('closes with 1011 when the app fails after accepting', async () => {
  const app = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept' });
    await receive();
    throw new Error('handler broke');
  });
  const { url, logs } = await start(app);
  const ws = await opened(url);
  const closed = closeOf(ws);
  ws.send('go');
  expect((await closed).code).toBe(1011);
  expect(logs.join('\n')).toMatch(/handler broke/);
});

it('closes with 1000 when the app returns with the connection open', async () => {
  const app = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept' });
  });
  const { url } = await start(app);
  expect((await closeOf(await opened(url))).code).toBe(1000);
});

it('refuses broken handshakes before the app sees them', async () => {
  let calls = 0;
  const { port } = await start(
    websocketApp(async () => {
      calls++;
    }),
  );
  const noKey = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
  expect(noKey.status).toBe(400);
  expect(noKey.body.toString()).toMatch(/Sec-WebSocket-Key/);
  const oldVersion = await rawRequest(port, HANDSHAKE('/').replace('Version: 13', 'Version: 7'));
  expect(oldVersion.status).toBe(426);
  expect(oldVersion.header('sec-websocket-version')).toBe('13');
  expect(calls).toBe(0);
});

it('answers 500 when the app accepts a subprotocol the client did not offer', async () => {
  const app = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept', subprotocol: 'made-up' });
  });
  const { port, logs } = await start(app);
  const response = await rawRequest(port, HANDSHAKE('/', 'Sec-WebSocket-Protocol: chat\r\n'));
  expect(response.status).toBe(500);
  expect(logs.join('\n')).toMatch(/subprotocol 'made-up', which the client did not offer/);
});

it("gives the scheme 'wss' when a trusted proxy says the client came over https", async () => {
  const seen = deferred<string>();
  const app = websocketApp(async (scope, receive, send) => {
    await receive();
    seen.resolve(scope.scheme);
    await send({ type: 'websocket.close' });
  });
  const { port } = await start(app, { forwardedAllowIps: '127.0.0.1' });
  await rawRequest(port, HANDSHAKE('/', 'X-Forwarded-Proto: https\r\n'));
  expect(await seen.promise).toBe('wss');
});

it("serves wss over TLS with the scheme 'wss'", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-wss-'));
  try {
    const { keyfile, certfile } = makeCertificate(dir);
    const seen = deferred<string>();
    const app = websocketApp(async (scope, receive, send) => {
      await receive();
      seen.resolve(scope.scheme);
      await send({ type: 'websocket.accept' });
      await send({ type: 'websocket.send', text: 'over tls' });
      await receive();
    });
    const { url } = await start(app, { sslKeyfile: keyfile, sslCertfile: certfile });
    const ws = await opened(url, { ca: readFileSync(certfile) });
    const message = await new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    expect([await seen.promise, message]).toEqual(['wss', 'over tls']);
    ws.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('with ws: none, an upgrade request is a plain HTTP request the app answers normally', async () => {
  const { port } = await start(websocketApp(async () => undefined), { ws: 'none' });
  const response = await rawRequest(port, HANDSHAKE('/plain'));
  expect(response.status).toBe(200);
  expect(response.body.toString()).toBe('plain GET /plain');
});

it('answers an upgrade to another protocol (h2c) as the plain HTTP request it also is', async () => {
  const { port } = await start(websocketApp(async () => undefined));
  const response = await rawRequest(port, 'GET /other HTTP/1.1\r\nHost: test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n');
  expect(response.status).toBe(200);
  expect(response.body.toString()).toBe('plain GET /other');
});

it('checks the WebSocket options', () => {
  const problems = (options: object): string => {
    try {
      new Server(async () => undefined, options);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return 'accepted';
  };
  expect(problems({ ws: 'maybe', wsMaxSize: 0, wsPingTimeout: 0, wsMaxQueue: 1.5 })).toMatch(/ws[\s\S]*wsMaxSize[\s\S]*wsMaxQueue[\s\S]*wsPingTimeout/);
  expect(problems({ ws: 'none', wsPingInterval: 0, wsPerMessageDeflate: false })).toBe('accepted');
});

it('takes the WebSocket options from the command line', () => {
  const command = parseCommand(['serve', 'app.ts', '--ws', 'none', '--ws-max-size', '1024', '--ws-max-queue', '8', '--ws-ping-interval', '5', '--ws-ping-timeout', '2.5', '--no-ws-per-message-deflate']);
  expect(command).toMatchObject({
    kind: 'serve',
    options: { ws: 'none', wsMaxSize: 1024, wsMaxQueue: 8, wsPingInterval: 5, wsPingTimeout: 2.5, wsPerMessageDeflate: false },
  });
});
