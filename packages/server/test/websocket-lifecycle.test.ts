/** WebSocket connections and the server's life: shutdown with sockets open, back-pressure, lifespan state. */
import { expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { RawClient } from './support/raw-http';
import { deferred, useServers } from './support/servers';
import { acceptAndWatch, closeOf, HANDSHAKE, opened, websocketApp } from './support/websockets';

const start = useServers();

it('closes open sockets with 1001 (Going Away) on shutdown and tells the app', async () => {
  const { app, ended } = acceptAndWatch();
  const { server, url } = await start(app);
  const ws = await opened(url);
  const closed = closeOf(ws);
  await server.close();
  expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
  expect(await ended).toMatchObject({ type: 'websocket.disconnect', code: 1001 });
});

it('does not hang on a peer that never answers the close: it is cut after the grace period', async () => {
  const { app, ended } = acceptAndWatch();
  const { server, port } = await start(app, { timeoutGracefulShutdown: 0.1, wsPingInterval: 0 });
  const client = await RawClient.connect({ port });
  client.write(HANDSHAKE('/'));
  expect((await client.readResponse({ noBody: true })).status).toBe(101);
  await server.close();
  const received = await client.untilClosed();
  // The close frame it never answered: opcode 0x8, code 1001.
  expect(received.subarray(0, 1)[0]).toBe(0x88);
  expect(received.readUInt16BE(2)).toBe(1001);
  expect((await ended).type).toBe('websocket.disconnect');
});

it('stops reading a fast client while the app is behind (bounded receive queue), then delivers every message in order', async () => {
  const release = deferred();
  const received: number[] = [];
  const done = deferred();
  const app: App = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept' });
    await release.promise; // the app is busy; messages pile up
    for (;;) {
      const event = await receive();
      if (event.type !== 'websocket.receive') break;
      received.push((event.bytes as Uint8Array)[0]! + 256 * (event.bytes as Uint8Array)[1]!);
    }
    done.resolve();
  });
  const { url } = await start(app, { wsMaxQueue: 4, wsPerMessageDeflate: false });
  const ws = await opened(url, { perMessageDeflate: false });
  const chunk = 256 * 1024;
  let sent = 0;
  // The server reads only four messages ahead of the app: the kernel buffers fill and the client's
  // own buffer grows. Without the bound, the server would read everything and this would not stop.
  while (ws.bufferedAmount < 4 * 1024 * 1024 && sent < 400) {
    const message = Buffer.alloc(chunk);
    message.writeUInt16LE(sent);
    ws.send(message);
    sent++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(sent).toBeLessThan(400);
  release.resolve();
  while (ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  ws.close(1000);
  await done.promise;
  expect(received).toEqual(Array.from({ length: sent }, (_, i) => i));
});
