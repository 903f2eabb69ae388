/** Helpers for the WebSocket tests: apps that accept and watch, a `ws` client, a raw handshake. */
import type { App, WebSocketReceive, WebSocketScope, WebSocketSend, WebSocketServerEvent } from '@portico/protocol';
import { respond } from '@portico/protocol/conformance';
import WebSocket from 'ws';
import { deferred } from './servers';

/** Accepts, answers one message with `<scheme> echo: <text>` (so a test sees ws or wss), and closes. */
export const schemeEcho: App = async (scope, receive, send) => {
  if (scope.type !== 'websocket') return;
  await receive(); // websocket.connect
  await send({ type: 'websocket.accept' });
  const message = await receive();
  if (message.type === 'websocket.receive') await send({ type: 'websocket.send', text: `${scope.scheme} echo: ${message.text ?? ''}` });
  await send({ type: 'websocket.close' });
};

/** An app for websocket scopes only; http scopes get a plain 200 saying so. */
export function websocketApp(handler: (scope: WebSocketScope, receive: WebSocketReceive, send: WebSocketSend) => Promise<void>): App {
  return async (scope, receive, send) => {
    if (scope.type === 'websocket') await handler(scope, receive as WebSocketReceive, send as WebSocketSend);
    else if (scope.type === 'http') await respond(send as Parameters<typeof respond>[0], 200, `plain ${scope.method} ${scope.path}`);
  };
}

/** Accept, then report the first event that is not a message. */
export function acceptAndWatch(): { app: App; ended: Promise<WebSocketServerEvent> } {
  const ended = deferred<WebSocketServerEvent>();
  const app = websocketApp(async (_scope, receive, send) => {
    await receive();
    await send({ type: 'websocket.accept' });
    for (;;) {
      const event = await receive();
      if (event.type !== 'websocket.receive') return ended.resolve(event);
    }
  });
  return { app, ended: ended.promise };
}

export function opened(url: string, options?: WebSocket.ClientOptions): Promise<WebSocket> {
  const ws = new WebSocket(url.replace('http', 'ws'), options);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** A valid opening handshake, for raw clients. */
export const HANDSHAKE = (path: string, extra = ''): string =>
  `GET ${path} HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`;
