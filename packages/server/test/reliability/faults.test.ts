/**
 * Faults: a protocol app that throws in every place gets the documented answer over real HTTP, and
 * the server keeps serving the next request. Lifespan startup: start() refuses with the app's
 * message; shutdown: close() rejects with it and the server is stopped; before
 * `http.response.start`: 500; mid-body: the bytes sent, then the connection cut; a WebSocket
 * before accept: 500 (the server's answer, README "WebSocket"); after accept: close 1011.
 */
import { describe, expect, it } from '@jest/globals';
import type { App, HttpReceive, HttpSend, WebSocketReceive, WebSocketSend } from '@portico/protocol';
import { LifespanShutdownError, LifespanStartupError, Server } from '@portico/server';
import { RawClient, rawRequest } from '../support/raw-http';
import { useServers } from '../support/servers';
import { closeOf, HANDSHAKE, opened } from '../support/websockets';

const start = useServers();
const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;
const text = (value: string): Uint8Array => Buffer.from(value);

/** Fails where the path says; `/ok` answers 200. */
const faultyApp: App = async (scope, receive, send) => {
  if (scope.type === 'websocket') {
    const wsReceive = receive as WebSocketReceive;
    const wsSend = send as WebSocketSend;
    await wsReceive();
    if (scope.path === '/ws-before-accept') throw new Error('boom before accept');
    await wsSend({ type: 'websocket.accept' });
    await wsReceive(); // the first message
    throw new Error('boom after accept');
  }
  if (scope.type !== 'http') return;
  const httpSend = send as HttpSend;
  void (receive as HttpReceive);
  switch (scope.path) {
    case '/before-start':
      throw new Error('boom before start');
    case '/mid-body':
      await httpSend({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      await httpSend({ type: 'http.response.body', body: text('first part;'), moreBody: true });
      throw new Error('boom mid-body');
    case '/mid-body-length':
      await httpSend({ type: 'http.response.start', status: 200, headers: [['content-length', '100']] });
      await httpSend({ type: 'http.response.body', body: text('ten bytes.'), moreBody: true });
      throw new Error('boom mid-body with a length');
    case '/after-body':
      await httpSend({ type: 'http.response.start', status: 200, headers: [] });
      await httpSend({ type: 'http.response.body', body: text('complete') });
      throw new Error('boom after the response');
    default:
      await httpSend({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
      await httpSend({ type: 'http.response.body', body: text(`ok ${scope.path}`) });
  }
};

async function expectStillServing(port: number): Promise<void> {
  const response = await rawRequest(port, GET('/ok'));
  expect(response.status).toBe(200);
  expect(response.body.toString()).toBe('ok /ok');
}

describe('lifespan', () => {
  const lifespanApp = (phase: 'startup' | 'shutdown'): App => async (scope, receive, send) => {
    if (scope.type !== 'lifespan') return faultyApp(scope, receive, send);
    for (;;) {
      const event = await receive();
      if (event.type === `lifespan.${phase}`) throw new Error(`${phase} exploded: disk full`);
      await send({ type: event.type === 'lifespan.startup' ? 'lifespan.startup.complete' : 'lifespan.shutdown.complete' });
      if (event.type === 'lifespan.shutdown') return;
    }
  };

  it('refuses to start, with the message, when startup throws (lifespan on); nothing listens', async () => {
    const logs: string[] = [];
    const server = new Server(lifespanApp('startup'), { port: 0, lifespan: 'on', useColors: false, logStream: { write: (line) => logs.push(line) } });
    await expect(server.start()).rejects.toThrow(LifespanStartupError);
    await expect(server.closed).resolves.toBeUndefined();
    expect(logs.join('')).toContain('startup exploded: disk full');
    expect(() => server.address).toThrow(/not listening/);
  });

  it('stops anyway, rejecting close() with the message, when shutdown throws', async () => {
    const { server, port, logs } = await start(lifespanApp('shutdown'), { lifespan: 'on' });
    await expectStillServing(port);
    await expect(server.close()).rejects.toThrow(LifespanShutdownError);
    expect(logs.join('\n')).toContain('shutdown exploded: disk full');
    await expect(rawRequest(port, GET('/ok'))).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('http', () => {
  it('answers 500 (and closes that connection) when the app throws before http.response.start, logs it with the request line', async () => {
    const { port, logs } = await start(faultyApp);
    const client = await RawClient.connect({ port });
    try {
      client.write(GET('/before-start'));
      const failed = await client.readResponse();
      expect(failed.status).toBe(500);
      expect(logs.join('\n')).toMatch(/boom before start/);
      expect(logs.join('\n')).toContain('GET /before-start');
      expect(failed.header('connection')).toBe('close'); // as uvicorn: the server's own error answer ends the connection
      await client.untilClosed();
    } finally {
      client.close();
    }
    await expectStillServing(port);
  });

  it('cuts a chunked response after the bytes already sent when the app throws mid-body (no terminating chunk)', async () => {
    const { port, logs } = await start(faultyApp);
    const client = await RawClient.connect({ port });
    client.write(GET('/mid-body'));
    const rest = (await client.untilClosed()).toString('latin1');
    expect(rest).toMatch(/^HTTP\/1\.1 200 /);
    expect(rest).toContain('first part;');
    expect(rest).not.toMatch(/\r\n0\r\n\r\n$/); // a complete chunked body would end so
    expect(logs.join('\n')).toMatch(/boom mid-body/);
    await expectStillServing(port);
  });

  it('cuts a Content-Length response short when the app throws mid-body, so the client sees it incomplete', async () => {
    const { port } = await start(faultyApp);
    const client = await RawClient.connect({ port });
    client.write(GET('/mid-body-length'));
    await expect(client.readResponse()).rejects.toThrow(/closed before a complete response/);
    expect(client.pending.toString('latin1')).toMatch(/ten bytes\.$/);
    await expectStillServing(port);
  });

  it('keeps a response that was complete when the app threw after it, and logs the error', async () => {
    const { port, logs } = await start(faultyApp);
    const response = await rawRequest(port, GET('/after-body'));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('complete');
    await expectStillServing(port);
    expect(logs.join('\n')).toMatch(/boom after the response/);
  });

  it('serves requests after a burst of 200 concurrent failures of four kinds', async () => {
    const { port } = await start(faultyApp);
    const paths = ['/before-start', '/mid-body', '/mid-body-length', '/after-body'];
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => rawRequest(port, GET(paths[i % paths.length] as string)).then((r) => r.status, () => -1)),
    );
    expect(outcomes.filter((status, i) => i % 4 === 0 && status !== 500)).toEqual([]);
    expect(outcomes.filter((status, i) => i % 4 === 3 && status !== 200)).toEqual([]);
    await expectStillServing(port);
  });
});

describe('websocket', () => {
  it('answers the handshake with 500 when the app throws before accept', async () => {
    const { port, logs } = await start(faultyApp);
    const client = await RawClient.connect({ port });
    client.write(HANDSHAKE('/ws-before-accept'));
    const response = await client.readResponse();
    client.close();
    expect(response.status).toBe(500);
    expect(logs.join('\n')).toMatch(/boom before accept/);
    await expectStillServing(port);
  });

  it('closes with 1011 when the app throws after accept', async () => {
    const { port, url, logs } = await start(faultyApp);
    const ws = await opened(`${url}/ws-after-accept`);
    const closed = closeOf(ws);
    ws.send('hello');
    expect((await closed).code).toBe(1011);
    expect(logs.join('\n')).toMatch(/boom after accept/);
    await expectStillServing(port);
  });
});
