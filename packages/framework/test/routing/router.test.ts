import { describe, expect, it } from '@jest/globals';
import { App, AppStartedError, JSONResponse, Mount, NoMatchFound, PlainTextResponse, Route, Router, TestClient } from '@portico/framework';

const text = (body: string) => () => new PlainTextResponse(body);

describe('Router', () => {
  it('answers 404 for an unknown path', async () => {
    const response = await new TestClient(new App({ routes: [new Route('/', text('home'))] })).get('/nowhere');
    expect([response.status, response.text]).toEqual([404, 'Not Found']);
  });

  it('keeps declaration order between indexed and parameterised first segments', async () => {
    const router = new Router({
      routes: [
        new Route('/:slug/edit', (request) => new PlainTextResponse(`slug ${String(request.pathParams['slug'])}`)),
        new Route('/about/edit', text('static about')),
        new Route('/about', text('about')),
        new Route('/:page', text('any page')),
      ],
    });
    const client = new TestClient(router);
    expect((await client.get('/about/edit')).text).toBe('slug about');
    expect((await client.get('/about')).text).toBe('about');
    expect((await client.get('/contact')).text).toBe('any page');
  });

  it('finds routes among thousands of static ones', async () => {
    const routes = Array.from({ length: 5000 }, (_, i) => new Route(`/r${i}/:id<int>`, (request) => new JSONResponse({ i, id: request.pathParams.id })));
    const client = new TestClient(new Router({ routes }));
    expect((await client.get('/r4999/3')).json()).toEqual({ i: 4999, id: 3 });
    expect((await client.get('/r0/1')).json()).toEqual({ i: 0, id: 1 });
    expect((await client.get('/r5000/1')).status).toBe(404);
  });

  it('prefers a full match over an earlier partial (method) match', async () => {
    const router = new Router({
      routes: [new Route('/items', text('get items')), new Route('/items', text('post items'), { methods: ['POST'] })],
    });
    expect((await new TestClient(router).post('/items')).text).toBe('post items');
  });

  it('redirects to the other slash form with 307 when only that one exists, keeping the query', async () => {
    const app = new App({ routes: [new Route('/notes', text('notes')), new Route('/tags/', text('tags'))] });
    const client = new TestClient(app, { followRedirects: false });
    const added = await client.get('/tags?sort=name');
    expect([added.status, added.headers.get('location')]).toEqual([307, 'http://testserver/tags/?sort=name']);
    const removed = await client.get('/notes/');
    expect([removed.status, removed.headers.get('location')]).toEqual([307, 'http://testserver/notes']);
    expect((await new TestClient(app).get('/notes/')).text).toBe('notes');
  });

  it('can switch redirectSlashes off', async () => {
    const app = new App({ redirectSlashes: false, routes: [new Route('/notes', text('notes'))] });
    expect((await new TestClient(app).get('/notes/')).status).toBe(404);
  });

  it('reverses named routes and explains a missing name or parameter', () => {
    const router = new Router({
      routes: [new Route('/notes/:id<int>', text(''), { name: 'note' }), new Route('/files/*rest', text(''), { name: 'file' })],
    });
    expect(router.urlPathFor('note', { id: 7 })).toBe('/notes/7');
    expect(router.urlPathFor('file', { rest: 'a b/c.txt' })).toBe('/files/a%20b/c.txt');
    expect(() => router.urlPathFor('nope')).toThrow(NoMatchFound);
    expect(() => router.urlPathFor('nope')).toThrow("no route named 'nope' accepts the parameters {} (no route has that name)");
    expect(() => router.urlPathFor('note')).toThrow(/'\/notes\/:id<int>': Missing parameters: id/);
    expect(() => router.urlPathFor('note', { id: 'seven' })).toThrow(/path parameter 'id'.*seven is not a non-negative integer/);
    expect(() => router.urlPathFor('note', { id: 1, extra: 2 })).toThrow(/takes \{id\}, not extra/);
  });

  it('names routes after their handler function by default', () => {
    const router = new Router({ routes: [new Route('/', function homepage() { return new PlainTextResponse('home'); })] });
    expect(router.urlPathFor('homepage')).toBe('/');
  });

  it('refuses routes added after it started serving', async () => {
    const router = new Router({ routes: [new Route('/', text('home'))] });
    await new TestClient(router).get('/');
    expect(() => router.add(new Route('/late', text('late')))).toThrow(AppStartedError);
  });

  it('closes a websocket no route accepts', async () => {
    const router = new Router({ routes: [new Mount('/api', [new Route('/', text('api'))])] });
    const sent: unknown[] = [];
    await router({ type: 'websocket', gateway: { version: '1.0', specVersion: '1.0' }, httpVersion: '1.1', scheme: 'ws', path: '/chat', rawPath: '/chat', queryString: '', rootPath: '', headers: [], client: null, server: null, subprotocols: [], state: {}, extensions: {} }, async () => ({ type: 'websocket.connect' }), async (event) => {
      sent.push(event);
    });
    expect(sent).toEqual([{ type: 'websocket.close', code: 1000 }]);
  });
});
