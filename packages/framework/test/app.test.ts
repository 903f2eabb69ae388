import { describe, expect, it } from '@jest/globals';
import { guard, httpScope, type ProtocolError, type SendEvent } from '@portico/protocol';
import { App, HTTPException, JSONResponse, PlainTextResponse, Route, StreamingResponse, TestClient } from '@portico/framework';

describe('App', () => {
  it('registers routes with get/post/put/patch/delete/route', async () => {
    const app = new App();
    app
      .get('/items/:id<int>', (request) => new JSONResponse({ got: request.pathParams.id }))
      .post('/items', () => new PlainTextResponse('created', { status: 201 }))
      .put('/items/:id', () => new PlainTextResponse('put'))
      .patch('/items/:id', () => new PlainTextResponse('patched'))
      .delete('/items/:id', () => new PlainTextResponse('deleted'))
      .route('/both', (request) => new PlainTextResponse(request.method), { methods: ['GET', 'POST'] });
    const client = new TestClient(app);
    expect((await client.get('/items/5')).json()).toEqual({ got: 5 });
    expect((await client.post('/items')).status).toBe(201);
    expect((await client.put('/items/5')).text).toBe('put');
    expect((await client.patch('/items/5')).text).toBe('patched');
    expect((await client.delete('/items/5')).text).toBe('deleted');
    expect((await client.post('/both')).text).toBe('POST');
    const wrong = await client.post('/items/5');
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, HEAD']); // the first route whose path matched
  });

  it('registers WebSocket routes with websocket(), path parameters typed', async () => {
    const app = new App();
    app.websocket('/rooms/:room<int>', async (websocket) => {
      await websocket.accept();
      const room: number = websocket.pathParams.room;
      await websocket.sendText(`room ${room + 1}: ${await websocket.receiveText()}`);
      await websocket.close();
    }, { name: 'room' });
    const session = await new TestClient(app).websocketConnect('/rooms/41');
    session.sendText('hello');
    expect(await session.receiveText()).toBe('room 42: hello');
    expect(app.urlPathFor('room', { room: 1 })).toBe('/rooms/1');
    await session.close();
  });

  it('refuses routes and middleware added after it started serving', async () => {
    const app = new App();
    app.get('/', () => new PlainTextResponse('ok'));
    await new TestClient(app).get('/');
    expect(() => app.websocket('/late', async () => undefined)).toThrow(/websocket route was added after the app started serving/);
    expect(() => app.get('/late', () => new PlainTextResponse(''))).toThrow(/route was added after the app started/);
  });

  it('keeps routes given to the constructor before those added later', async () => {
    const app = new App({ routes: [new Route('/:any', () => new PlainTextResponse('constructor'))] });
    app.get('/late', () => new PlainTextResponse('method'));
    expect((await new TestClient(app).get('/late')).text).toBe('constructor');
  });

  it('is a protocol app any host can call', async () => {
    const app = new App();
    app.get('/', () => new PlainTextResponse('called directly'));
    const sent: SendEvent[] = [];
    await app(httpScope({ path: '/' }), async () => ({ type: 'http.request', body: new Uint8Array(), moreBody: false }), async (event) => void sent.push(event));
    expect(sent[0]).toMatchObject({ type: 'http.response.start', status: 200 });
    expect(Buffer.from((sent[1] as { body: Uint8Array }).body).toString()).toBe('called directly');
  });

  it('reverses named routes with urlPathFor', () => {
    const app = new App();
    app.get('/notes/:id<int>', () => new PlainTextResponse(''), { name: 'note' });
    expect(app.urlPathFor('note', { id: 4 })).toBe('/notes/4');
  });

  it('keeps every protocol rule, whatever it answers (checked by the protocol guard)', async () => {
    const app = new App({ debug: true, middleware: [] });
    app.use(async (_request, next) => next());
    app
      .get('/json', () => new JSONResponse({ ok: true }))
      .get('/stream', () => new StreamingResponse(['a', 'b']))
      .get('/teapot', () => {
        throw new HTTPException(418);
      })
      .get('/crash', () => {
        throw new Error('boom');
      })
      .post('/echo', async (request) => new PlainTextResponse(await request.text()));
    const violations: ProtocolError[] = [];
    const client = new TestClient(guard(app, { onViolation: (error) => violations.push(error) }), { raiseServerExceptions: false });
    await client.start();
    const statuses = [];
    for (const path of ['/json', '/stream', '/teapot', '/crash', '/missing', '/json/']) statuses.push((await client.get(path)).status);
    statuses.push((await client.post('/echo', { body: [Buffer.from('a'), Buffer.from('b')] })).status, (await client.head('/json')).status, (await client.delete('/json')).status);
    await client.close();
    expect(statuses).toEqual([200, 200, 418, 500, 404, 200, 200, 200, 405]);
    expect(violations.map((violation) => violation.message)).toEqual([]);
  });
});
