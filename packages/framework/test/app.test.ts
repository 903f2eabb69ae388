import { describe, expect, it } from '@jest/globals';
import { httpScope, type SendEvent } from '@portico/protocol';
import { App, JSONResponse, PlainTextResponse, Route, TestClient } from '@portico/framework';

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
});
