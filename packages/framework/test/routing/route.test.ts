import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, PlainTextResponse, Route, Router, TestClient, PathPatternError } from '@portico/framework';

const echoParams = new Route('/users/:id<int>', (request) => new JSONResponse({ id: request.pathParams.id, type: typeof request.pathParams.id }));

describe('Route', () => {
  it('converts typed parameters: int, float, uuid and a whole-path wildcard', async () => {
    const app = new App({
      routes: [
        echoParams,
        new Route('/prices/:price<float>', (request) => new JSONResponse(request.pathParams)),
        new Route('/keys/:key<uuid>', (request) => new JSONResponse(request.pathParams)),
        new Route('/files/*rest', (request) => new JSONResponse(request.pathParams)),
      ],
    });
    const client = new TestClient(app);
    expect((await client.get('/users/42')).json()).toEqual({ id: 42, type: 'number' });
    expect((await client.get('/prices/9.5')).json()).toEqual({ price: 9.5 });
    expect((await client.get('/keys/0F8FAD5B-D9CB-469F-A165-70867728950E')).json()).toEqual({ key: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect((await client.get('/files/docs/a%20b/c.txt')).json()).toEqual({ rest: 'docs/a b/c.txt' });
  });

  it('treats a value that does not convert as "not this route" and tries the next one', async () => {
    const app = new App({
      routes: [echoParams, new Route('/users/:name', (request) => new PlainTextResponse(`by name: ${request.pathParams.name}`))],
    });
    const client = new TestClient(app);
    expect((await client.get('/users/7')).json()).toEqual({ id: 7, type: 'number' });
    expect((await client.get('/users/me')).text).toBe('by name: me');
    expect((await client.get('/users/-1')).text).toBe('by name: -1');
  });

  it('matches optional groups and decoded unicode paths', async () => {
    const app = new App({
      routes: [
        new Route('/reports{/:year<int>}', (request) => new JSONResponse(request.pathParams)),
        new Route('/café/:item', (request) => new JSONResponse(request.pathParams)),
      ],
    });
    const client = new TestClient(app);
    expect((await client.get('/reports')).json()).toEqual({});
    expect((await client.get('/reports/2024')).json()).toEqual({ year: 2024 });
    expect((await client.get('/caf%C3%A9/cr%C3%A8me')).json()).toEqual({ item: 'crème' });
  });

  it('answers 405 with Allow when the path matches but the method does not, and serves HEAD from GET', async () => {
    const app = new App({ routes: [new Route('/notes', () => new PlainTextResponse('list'), { methods: ['GET', 'POST'] })] });
    const client = new TestClient(app);
    const wrongMethod = await client.delete('/notes');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST, HEAD');
    const head = await client.head('/notes');
    expect([head.status, head.text, head.headers.get('content-length')]).toEqual([200, '', '4']);
  });

  it('answers 405 on its own when used in a bare Router (no App around it)', async () => {
    const router = new Router({ routes: [new Route('/only-get', () => new PlainTextResponse('ok'))] });
    const response = await new TestClient(router).post('/only-get');
    expect([response.status, response.headers.get('allow'), response.text]).toEqual([405, 'GET, HEAD', 'Method Not Allowed']);
  });

  it('refuses a handler result that is not a Response with a message saying what to return', async () => {
    const app = new App({ routes: [new Route('/forgot', (() => undefined) as never)] });
    await expect(new TestClient(app).get('/forgot')).rejects.toThrow(/GET \/forgot returned undefined \(did you forget to return the response\?\)/);
  });

  it('rejects unusable paths when the route is built, not when a request comes', () => {
    expect(() => new Route('/x/:id<integer>', () => new PlainTextResponse(''))).toThrow(PathPatternError);
    expect(() => new Route('/x/:id<integer>', () => new PlainTextResponse(''))).toThrow(/unknown converter 'integer'.*int, float, uuid/);
    expect(() => new Route('/x/*rest<int>', () => new PlainTextResponse(''))).toThrow(/'path' converter goes with '\*' wildcards/);
    expect(() => new Route('/x/(\\d+)', () => new PlainTextResponse(''))).toThrow(/cannot compile the path/);
    expect(() => new Route('relative', () => new PlainTextResponse(''))).toThrow(/start with '\/'/);
  });

  it('is case sensitive and strict about the trailing slash', async () => {
    const app = new App({ redirectSlashes: false, routes: [new Route('/Notes', () => new PlainTextResponse('ok'))] });
    const client = new TestClient(app);
    expect((await client.get('/Notes')).status).toBe(200);
    expect((await client.get('/notes')).status).toBe(404);
    expect((await client.get('/Notes/')).status).toBe(404);
  });
});
