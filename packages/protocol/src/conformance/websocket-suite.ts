import { afterAll, beforeAll, beforeEach, expect, it } from '@jest/globals';
import type { ProtocolError } from '../errors';
import { channels } from '../channels';
import { guard } from '../guard';
import type { App, HeaderList, WebSocketReceive, WebSocketScope, WebSocketSend, WebSocketServerEvent } from '../types';
import { deferred, text, utf8 } from './apps';
import type { ConformanceWebSocket, ConformanceWebSocketOutcome, ConformanceWebSocketRequest, RunningHost, StartHost } from './types';

/** A handler for the websocket scopes of the shared host; tests swap it per test. */
type WebSocketHandler = (scope: WebSocketScope, receive: WebSocketReceive, send: WebSocketSend) => Promise<void>;

const header = (headers: HeaderList, name: string): string | undefined => headers.find(([n]) => n === name)?.[1];

/** Accept, then echo every message back (text as text, bytes as bytes) until the peer leaves. */
const echo: WebSocketHandler = async (_scope, receive, send) => {
  await receive();
  await send({ type: 'websocket.accept' });
  for (;;) {
    const event = await receive();
    if (event.type !== 'websocket.receive') return;
    await send(event.text !== undefined ? { type: 'websocket.send', text: event.text } : { type: 'websocket.send', bytes: event.bytes });
  }
};

/**
 * The WebSocket part of the suite, for hosts declaring `websocket: true`. One host serves a
 * dispatcher app under `guard`; each test installs its handler and drives a real client
 * through `RunningHost.websocket` (the `ws` client over the network, or a TestClient session).
 */
export function websocketConformance(startHost: StartHost): void {
  let host: RunningHost;
  let handler: WebSocketHandler;
  let violations: ProtocolError[] = [];

  const dispatcher: App = async (scope, receive, send) => {
    if (scope.type === 'websocket') return handler(scope, channels(scope, receive, send).receive, send);
    if (scope.type === 'lifespan') {
      await receive();
      scope.state['startedAt'] = 'startup';
      await send({ type: 'lifespan.startup.complete' });
      await receive();
      await send({ type: 'lifespan.shutdown.complete' });
    }
  };

  beforeAll(async () => {
    host = await startHost(guard(dispatcher, { onViolation: (error) => violations.push(error) }), {});
    if (host.websocket === undefined) throw new Error('the host declares websocket: true but its RunningHost has no websocket() to open one');
  });
  afterAll(async () => host?.close());
  beforeEach(() => {
    violations = [];
  });
  const expectNoViolations = (): void => expect(violations.map((v) => v.message)).toEqual([]);
  const open = (request: ConformanceWebSocketRequest): Promise<ConformanceWebSocketOutcome> => host.websocket!(request);
  const connect = async (request: ConformanceWebSocketRequest): Promise<ConformanceWebSocket> => {
    const outcome = await open(request);
    if (!outcome.accepted) throw new Error(`the handshake was refused with ${outcome.response.status}: ${text(outcome.response.body)}`);
    return outcome.socket;
  };

  it('builds a websocket scope: path, query, subprotocols in order, headers, the denial extension, lifespan state', async () => {
    const seen = deferred<{ scope: WebSocketScope; first: string }>();
    handler = async (scope, receive, send) => {
      const first = (await receive()).type;
      seen.resolve({ scope, first });
      await send({ type: 'websocket.accept', subprotocol: 'v2.chat' });
      await receive();
    };
    const socket = await connect({ target: '/chat/caf%C3%A9?room=1', subprotocols: ['v2.chat', 'v1.chat'], headers: [['x-token', 'abc']] });
    const { scope, first } = await seen.promise;
    expect(first).toBe('websocket.connect');
    expect(scope).toMatchObject({ type: 'websocket', scheme: 'ws', path: '/chat/café', rawPath: '/chat/caf%C3%A9', queryString: 'room=1', rootPath: '' });
    expect(scope.gateway.version).toBe('1.0');
    expect(scope.subprotocols).toEqual(['v2.chat', 'v1.chat']);
    expect(header(scope.headers, 'x-token')).toBe('abc');
    expect('websocket.http.response' in scope.extensions).toBe(true);
    expect(scope.state['startedAt']).toBe('startup');
    socket.close(1000);
    expect(await socket.receive()).toMatchObject({ type: 'close', code: 1000 });
    expectNoViolations();
  });

  it('accepts with the chosen subprotocol and extra headers', async () => {
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.accept', subprotocol: 'v1.chat', headers: [['x-room', 'lobby']] });
      await receive();
    };
    const socket = await connect({ target: '/', subprotocols: ['v2.chat', 'v1.chat'] });
    expect(socket.subprotocol).toBe('v1.chat');
    expect(header(socket.headers, 'x-room')).toBe('lobby');
    socket.close(1000);
    await socket.receive();
    expectNoViolations();
  });

  it('carries text and bytes both ways, each as what it was', async () => {
    handler = echo;
    const socket = await connect({ target: '/echo' });
    await socket.send('héllo');
    expect(await socket.receive()).toEqual({ type: 'text', text: 'héllo' });
    await socket.send(new Uint8Array([0, 1, 2, 255]));
    const bytes = await socket.receive();
    expect(bytes.type).toBe('bytes');
    expect([...(bytes as { bytes: Uint8Array }).bytes]).toEqual([0, 1, 2, 255]);
    socket.close(1000);
    await socket.receive();
    expectNoViolations();
  });

  /** Accept, then report the next event the app receives (after a close from the client: the disconnect). */
  const acceptThenReport = (): Promise<WebSocketServerEvent> => {
    const next = deferred<WebSocketServerEvent>();
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.accept' });
      next.resolve(await receive());
    };
    return next.promise;
  };

  it("gives the app websocket.disconnect with the peer's code and reason", async () => {
    const gone = acceptThenReport();
    (await connect({ target: '/' })).close(4001, 'bye now');
    expect(await gone).toEqual({ type: 'websocket.disconnect', code: 4001, reason: 'bye now' });
    expectNoViolations();
  });

  it('reports 1005 when the peer closed without a code', async () => {
    const gone = acceptThenReport();
    (await connect({ target: '/' })).close();
    expect(await gone).toMatchObject({ type: 'websocket.disconnect', code: 1005 });
    expectNoViolations();
  });

  it('closes with the code and reason the app sends, then tells the app the peer is gone', async () => {
    const after = deferred<WebSocketServerEvent>();
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.accept' });
      await send({ type: 'websocket.close', code: 4002, reason: 'room closed' });
      after.resolve(await receive());
    };
    const socket = await connect({ target: '/' });
    expect(await socket.receive()).toEqual({ type: 'close', code: 4002, reason: 'room closed' });
    expect((await after.promise).type).toBe('websocket.disconnect');
    expectNoViolations();
  });

  it('answers 403 when the app closes before accepting', async () => {
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.close' });
    };
    const outcome = await open({ target: '/' });
    expect(outcome.accepted).toBe(false);
    expect(!outcome.accepted && outcome.response.status).toBe(403);
    expectNoViolations();
  });

  it('sends the denial response the app chose: status, headers and a body in parts', async () => {
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.http.response.start', status: 401, headers: [['content-type', 'text/plain'], ['www-authenticate', 'Bearer']] });
      await send({ type: 'websocket.http.response.body', body: utf8('sign '), moreBody: true });
      await send({ type: 'websocket.http.response.body', body: utf8('in first') });
    };
    const outcome = await open({ target: '/' });
    if (outcome.accepted) throw new Error('the denied handshake was accepted');
    expect(outcome.response.status).toBe(401);
    expect(header(outcome.response.headers, 'www-authenticate')).toBe('Bearer');
    expect(text(outcome.response.body)).toBe('sign in first');
    expectNoViolations();
  });

  it('answers 500 when the app fails before the handshake', async () => {
    handler = async (_scope, receive) => {
      await receive();
      throw new Error('boom before accept');
    };
    const outcome = await open({ target: '/' });
    expect(!outcome.accepted && outcome.response.status).toBe(500);
  });

  it('lets sends after the client vanished resolve without writing', async () => {
    const result = deferred<{ disconnect: WebSocketServerEvent; sent: string }>();
    handler = async (_scope, receive, send) => {
      await receive();
      await send({ type: 'websocket.accept' });
      const disconnect = await receive();
      await send({ type: 'websocket.send', text: 'anyone there?' });
      result.resolve({ disconnect, sent: 'resolved' });
    };
    const socket = await connect({ target: '/' });
    socket.drop();
    const { disconnect, sent } = await result.promise;
    expect(disconnect).toMatchObject({ type: 'websocket.disconnect', code: 1006 });
    expect(sent).toBe('resolved');
    expectNoViolations();
  });
}
