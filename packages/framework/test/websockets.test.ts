/** The WebSocket object and WebSocketRoute through the TestClient. */
import { describe, expect, it } from '@jest/globals';
import {
  App,
  JSONResponse,
  Mount,
  PlainTextResponse,
  Route,
  TestClient,
  WebSocketDenied,
  WebSocketDisconnect,
  WebSocketException,
  WebSocketRoute,
  WebSocketStateError,
  type BaseRoute,
  type WebSocket,
} from '@portico/framework';

/** A TestClient for an App with these routes. */
function client(...routes: BaseRoute[]): TestClient {
  return new TestClient(new App({ routes }));
}

describe('WebSocket', () => {
  it('shares the connection base: url, headers, query, path params, cookies, lifespan state', async () => {
    const app = new App({
      routes: [
        new WebSocketRoute('/rooms/:room<int>', async (websocket) => {
          await websocket.accept();
          await websocket.sendJson({
            url: websocket.url.href,
            token: websocket.headers.get('x-token'),
            page: websocket.queryParams.get('page'),
            room: websocket.pathParams.room,
            cookie: websocket.cookies['flavour'],
            state: websocket.state['greeting'],
            subprotocols: websocket.subprotocols,
          });
          await websocket.close();
        }),
      ],
      lifespan: async () => ({ state: { greeting: 'hello' } }),
    });
    const testClient = new TestClient(app);
    await testClient.start();
    const session = await testClient.websocketConnect('/rooms/7?page=2', { headers: { 'x-token': 'abc' }, cookies: { flavour: 'oat' }, subprotocols: ['a', 'b'] });
    expect(await session.receiveJson()).toEqual({ url: 'ws://testserver/rooms/7?page=2', token: 'abc', page: '2', room: 7, cookie: 'oat', state: 'hello', subprotocols: ['a', 'b'] });
    await expect(session.receiveText()).rejects.toEqual(new WebSocketDisconnect(1000));
    await testClient.close();
  });

  it('accepts with a subprotocol and headers, and carries text, bytes and JSON both ways', async () => {
    const session = await client(
      new WebSocketRoute('/echo', async (websocket) => {
        await websocket.accept({ subprotocol: 'v1', headers: { 'x-served-by': 'portico' } });
        await websocket.sendText(`text: ${await websocket.receiveText()}`);
        await websocket.sendBytes(Uint8Array.from([...(await websocket.receiveBytes())].reverse()));
        await websocket.sendJson({ got: await websocket.receiveJson() });
        await websocket.sendJson({ binary: true }, { binary: true });
      }),
    ).websocketConnect('/echo', { subprotocols: ['v1'] });
    expect(session.subprotocol).toBe('v1');
    expect(session.headers.get('x-served-by')).toBe('portico');
    session.sendText('hi');
    expect(await session.receiveText()).toBe('text: hi');
    session.sendBytes(new Uint8Array([1, 2, 3]));
    expect([...(await session.receiveBytes())]).toEqual([3, 2, 1]);
    session.sendJson({ n: 1 }, { binary: true });
    expect(await session.receiveJson()).toEqual({ got: { n: 1 } });
    expect(await session.receiveJson()).toEqual({ binary: true });
    await session.close();
  });

  it('ends iterText when the peer leaves, and throws WebSocketDisconnect with the code from receiveText', async () => {
    const seen: string[] = [];
    let after: unknown;
    const testClient = client(
      new WebSocketRoute('/iter', async (websocket) => {
        await websocket.accept();
        for await (const text of websocket.iterText()) seen.push(text);
        after = await websocket.receiveText().catch((error: unknown) => error);
      }),
    );
    const session = await testClient.websocketConnect('/iter');
    session.sendText('one');
    session.sendText('two');
    await session.close(4000, 'done');
    expect(seen).toEqual(['one', 'two']);
    expect(after).toBeInstanceOf(WebSocketStateError);

    let disconnect: unknown;
    const second = await client(
      new WebSocketRoute('/read', async (websocket) => {
        await websocket.accept();
        disconnect = await websocket.receiveText().catch((error: unknown) => error);
      }),
    ).websocketConnect('/read');
    await second.close(4001, 'gone');
    expect(disconnect).toEqual(new WebSocketDisconnect(4001, 'gone'));
    expect((disconnect as WebSocketDisconnect).reason).toBe('gone');
  });

  it('says which receive fits when a message is of the other kind', async () => {
    let error: unknown;
    const session = await client(
      new WebSocketRoute('/kinds', async (websocket) => {
        await websocket.accept();
        error = await websocket.receiveText().catch((thrown: unknown) => thrown);
      }),
    ).websocketConnect('/kinds');
    session.sendBytes(new Uint8Array([1]));
    await session.close();
    expect(String(error)).toMatch(/got bytes: use receiveBytes\(\)/);
  });

  it('closes with a code and reason', async () => {
    const session = await client(
      new WebSocketRoute('/bye', async (websocket) => {
        await websocket.accept();
        await websocket.close(4003, 'room closed');
      }),
    ).websocketConnect('/bye');
    expect(await session.receive()).toEqual({ type: 'websocket.close', code: 4003, reason: 'room closed' });
  });

  it('refuses the handshake: close before accept is a 403, sendDenialResponse sends any response', async () => {
    const testClient = client(
      new WebSocketRoute('/closed', async (websocket) => websocket.close()),
      new WebSocketRoute('/denied', async (websocket) => websocket.sendDenialResponse(new JSONResponse({ error: 'sign in' }, { status: 401 }))),
    );
    const closed = await testClient.websocketConnect('/closed').catch((error: unknown) => error);
    expect(closed).toBeInstanceOf(WebSocketDenied);
    expect((closed as WebSocketDenied).response.status).toBe(403);
    const denied = (await testClient.websocketConnect('/denied').catch((error: unknown) => error)) as WebSocketDenied;
    expect(denied.response.status).toBe(401);
    expect(denied.response.json()).toEqual({ error: 'sign in' });
  });

  it('closes with 1008 instead of a denial response when the host has no denial extension', async () => {
    const app = new App({ routes: [new WebSocketRoute('/denied', async (websocket) => websocket.sendDenialResponse(new PlainTextResponse('no', { status: 401 })))] });
    const denied = (await new TestClient(app, { extensions: {} }).websocketConnect('/denied').catch((error: unknown) => error)) as WebSocketDenied;
    expect(denied.response.status).toBe(403);
  });

  it('closes with the code of a WebSocketException, and ends quietly on a WebSocketDisconnect', async () => {
    const testClient = client(
      new WebSocketRoute('/strict', async (websocket) => {
        await websocket.accept();
        if ((await websocket.receiveText()) !== 'please') throw new WebSocketException(4400, 'say please');
      }),
      new WebSocketRoute('/refused', async () => {
        throw new WebSocketException(4401, 'who are you?');
      }),
      new WebSocketRoute('/leaves', async (websocket) => {
        await websocket.accept();
        await websocket.receiveText(); // throws WebSocketDisconnect: the route ends the conversation
      }),
    );
    const strict = await testClient.websocketConnect('/strict');
    strict.sendText('now');
    expect(await strict.receive()).toEqual({ type: 'websocket.close', code: 4400, reason: 'say please' });
    const refused = (await testClient.websocketConnect('/refused').catch((error: unknown) => error)) as WebSocketDenied;
    expect(refused.response.status).toBe(403);
    const leaves = await testClient.websocketConnect('/leaves');
    await expect(leaves.close(1001)).resolves.toBeUndefined();
  });

  it('re-raises what a handler throws, or closes with 1011 with raiseServerExceptions: false', async () => {
    const routes = [
      new WebSocketRoute('/broken', async (websocket: WebSocket) => {
        await websocket.accept();
        await websocket.receiveText();
        throw new Error('handler broke');
      }),
    ];
    const raising = await new TestClient(new App({ routes })).websocketConnect('/broken');
    raising.sendText('go');
    await expect(raising.receive()).rejects.toThrow('handler broke');
    const quiet = await new TestClient(new App({ routes }), { raiseServerExceptions: false }).websocketConnect('/broken');
    quiet.sendText('go');
    expect(await quiet.receive()).toMatchObject({ type: 'websocket.close', code: 1011 });
  });

  it('rejects a message read before accept with a clear error', async () => {
    const testClient = client(
      new WebSocketRoute('/early', async (websocket) => {
        await websocket.receiveText();
      }),
    );
    await expect(testClient.websocketConnect('/early')).rejects.toThrow(/call `await websocket.accept\(\)` first/);
  });
});

describe('WebSocketRoute', () => {
  const chat = new WebSocketRoute(
    '/rooms/:room',
    async (websocket) => {
      await websocket.accept();
      await websocket.sendText(`${websocket.scope.rootPath} ${String((websocket.pathParams as Record<string, unknown>)['org'])}/${websocket.pathParams.room}`);
      await websocket.close();
    },
    { name: 'room' },
  );
  const app = new App({
    routes: [
      new Route('/rooms/:room', () => new PlainTextResponse('the HTTP page')),
      new Mount('/orgs/:org', [chat], { name: 'org' }),
      new WebSocketRoute('/direct', async (websocket) => websocket.close(), { name: 'direct' }),
    ],
  });

  it('routes websocket scopes inside Mounts with path params, and leaves HTTP to HTTP routes', async () => {
    const testClient = new TestClient(app);
    const session = await testClient.websocketConnect('/orgs/acme/rooms/lobby');
    expect(await session.receiveText()).toBe('/orgs/acme acme/lobby');
    expect((await testClient.get('/rooms/lobby')).text).toBe('the HTTP page');
    expect((await testClient.get('/direct')).status).toBe(404);
  });

  it('refuses a websocket with no route (403)', async () => {
    const denied = (await new TestClient(app).websocketConnect('/nowhere').catch((error: unknown) => error)) as WebSocketDenied;
    expect(denied).toBeInstanceOf(WebSocketDenied);
    expect(denied.response.status).toBe(403);
  });

  it('reverses websocket routes with urlPathFor, through named Mounts', () => {
    expect(app.urlPathFor('org:room', { org: 'acme', room: 'lobby' })).toBe('/orgs/acme/rooms/lobby');
    expect(app.urlPathFor('direct')).toBe('/direct');
    expect(() => app.urlPathFor('org:room', { org: 'acme', floor: 1 })).toThrow(/takes \{room\}, not floor/);
  });

  it('needs a path starting with / and a handler', () => {
    expect(() => new WebSocketRoute('rooms', async () => undefined)).toThrow(/start with '\/'/);
    expect(() => new WebSocketRoute('/rooms', 'nope' as never)).toThrow(/handler function or a WebSocketEndpoint class/);
  });
});
