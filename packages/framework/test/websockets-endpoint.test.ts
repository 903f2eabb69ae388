/** WebSocketEndpoint (class style) and the middleware that handle websocket scopes, through the TestClient. */
import { describe, expect, it } from '@jest/globals';
import {
  App,
  AuthCredentials,
  AuthenticationError,
  AuthenticationMiddleware,
  Middleware,
  PlainTextResponse,
  SessionMiddleware,
  SimpleUser,
  TestClient,
  TrustedHostMiddleware,
  WebSocketEndpoint,
  WebSocketRoute,
  type AuthenticationBackend,
  type WebSocket,
  type WebSocketDenied,
  type WebSocketEndpointClass,
  type WebSocketEncoding,
} from '@portico/framework';

/** Records its hooks; echoes what it decoded, tagged with its type. */
function endpoint(encoding: WebSocketEncoding | undefined, log: string[]): WebSocketEndpointClass {
  return class Recorder extends WebSocketEndpoint {
    override encoding = encoding;
    override async onConnect(websocket: WebSocket): Promise<void> {
      log.push('connect');
      await websocket.accept();
    }
    override async onReceive(websocket: WebSocket, data: unknown): Promise<void> {
      const kind = data instanceof Uint8Array ? 'bytes' : typeof data;
      await websocket.sendText(`${kind}: ${data instanceof Uint8Array ? [...data].join(',') : JSON.stringify(data)}`);
    }
    override async onDisconnect(_websocket: WebSocket, closeCode: number): Promise<void> {
      log.push(`disconnect ${closeCode}`);
    }
  };
}

async function session(encoding: WebSocketEncoding | undefined, log: string[] = []): ReturnType<TestClient['websocketConnect']> {
  return new TestClient(new App({ routes: [new WebSocketRoute('/ws', endpoint(encoding, log))] })).websocketConnect('/ws');
}

describe('WebSocketEndpoint', () => {
  it('runs onConnect, onReceive per message and onDisconnect with the peer code', async () => {
    const log: string[] = [];
    const ws = await session(undefined, log);
    ws.sendText('hi');
    expect(await ws.receiveText()).toBe('string: "hi"');
    ws.sendBytes(new Uint8Array([1, 2]));
    expect(await ws.receiveText()).toBe('bytes: 1,2');
    await ws.close(4000);
    expect(log).toEqual(['connect', 'disconnect 4000']);
  });

  it("decodes 'json' from text or bytes, and closes with 1003 on bad JSON", async () => {
    const log: string[] = [];
    const ws = await session('json', log);
    ws.sendText('{"a":1}');
    expect(await ws.receiveText()).toBe('object: {"a":1}');
    ws.sendBytes(Buffer.from('[2]'));
    expect(await ws.receiveText()).toBe('object: [2]');
    ws.sendText('{not json');
    expect(await ws.receive()).toEqual({ type: 'websocket.close', code: 1003, reason: 'malformed JSON' });
    await ws.close();
    expect(log).toEqual(['connect', 'disconnect 1003']);
  });

  it("closes with 1003 when a 'text' endpoint gets bytes, or a 'bytes' endpoint text", async () => {
    const text = await session('text');
    text.sendText('fine');
    expect(await text.receiveText()).toBe('string: "fine"');
    text.sendBytes(new Uint8Array([1]));
    expect(await text.receive()).toMatchObject({ type: 'websocket.close', code: 1003, reason: 'expected text messages' });
    const bytes = await session('bytes');
    bytes.sendText('nope');
    expect(await bytes.receive()).toMatchObject({ type: 'websocket.close', code: 1003, reason: 'expected bytes messages' });
  });

  it('lets onConnect refuse the connection', async () => {
    class Closed extends WebSocketEndpoint {
      override async onConnect(websocket: WebSocket): Promise<void> {
        await websocket.close();
      }
    }
    const denied = await new TestClient(new App({ routes: [new WebSocketRoute('/ws', Closed)] })).websocketConnect('/ws').catch((error: unknown) => error);
    expect((denied as WebSocketDenied).response.status).toBe(403);
  });
});

describe('middleware on websocket scopes', () => {
  const whoami = new WebSocketRoute('/ws', async (websocket) => {
    await websocket.accept();
    await websocket.sendJson({ user: websocket.user.displayName, session: websocket.session });
    await websocket.close();
  });
  const backend: AuthenticationBackend = {
    async authenticate(conn) {
      const token = conn.queryParams.get('token');
      if (token === undefined) return null;
      if (token !== 'ada') throw new AuthenticationError('unknown token');
      return { credentials: new AuthCredentials(['authenticated']), user: new SimpleUser('ada') };
    },
  };

  it('authentication and sessions reach the WebSocket; bad credentials get the denial response', async () => {
    const app = new App({
      routes: [whoami],
      middleware: [
        new Middleware(SessionMiddleware, { secretKey: 'k' }),
        new Middleware(AuthenticationMiddleware, { backend, onError: (_conn, error) => new PlainTextResponse(error.message, { status: 401 }) }),
      ],
    });
    const client = new TestClient(app);
    const ws = await client.websocketConnect('/ws?token=ada');
    expect(await ws.receiveJson()).toEqual({ user: 'ada', session: {} });
    const denied = (await client.websocketConnect('/ws?token=eve').catch((error: unknown) => error)) as WebSocketDenied;
    expect(denied.response.status).toBe(401);
    expect(denied.response.text).toBe('unknown token');
  });

  it('trusted host refuses a websocket from an unknown host with its 400', async () => {
    const app = new App({ routes: [whoami], middleware: [new Middleware(TrustedHostMiddleware, { allowedHosts: ['example.com'] })] });
    const denied = (await new TestClient(app).websocketConnect('/ws').catch((error: unknown) => error)) as WebSocketDenied;
    expect(denied.response.status).toBe(400);
    expect(denied.response.text).toBe('Invalid host header');
  });
});
