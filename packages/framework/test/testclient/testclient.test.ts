import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, PlainTextResponse, RedirectResponse, Route, TestClient } from '@portico/framework';
import type { App as GatewayApp } from '@portico/protocol';

const echo = new Route(
  '/echo',
  async (request) =>
    new JSONResponse({
      method: request.method,
      query: request.url.query,
      headers: Object.fromEntries(request.headers.raw.filter(([name]) => name !== 'host')),
      body: await request.text(),
    }),
  { methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] },
);

describe('TestClient', () => {
  it('builds requests: query, default and per-request headers, JSON, form and raw bodies', async () => {
    const client = new TestClient(new App({ routes: [echo] }), { headers: { 'x-client': 'all' } });
    const json = (await client.post('/echo?a=1', { query: { b: [2, 3], c: true }, json: { x: 1 }, headers: { 'User-Agent': 'mine' } })).json();
    expect(json).toEqual({
      method: 'POST',
      query: 'a=1&b=2&b=3&c=true',
      headers: { 'user-agent': 'mine', accept: '*/*', 'content-type': 'application/json', 'content-length': '7', 'x-client': 'all' },
      body: '{"x":1}',
    });
    expect((await client.put('/echo', { form: { a: 'x y' } })).json()).toMatchObject({ body: 'a=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await client.options('/echo', { body: 'raw' })).json()).toMatchObject({ method: 'OPTIONS', body: 'raw' });
  });

  it('keeps cookies from responses and sends them back by path', async () => {
    const app = new App({
      routes: [
        new Route('/set', () => new PlainTextResponse('').setCookie('everywhere', '1').setCookie('admin', '2', { path: '/admin' })),
        new Route('/cookies', (request) => new JSONResponse(request.cookies)),
        new Route('/admin/cookies', (request) => new JSONResponse(request.cookies)),
      ],
    });
    const client = new TestClient(app);
    await client.get('/set');
    expect((await client.get('/cookies')).json()).toEqual({ everywhere: '1' });
    expect((await client.get('/admin/cookies')).json()).toEqual({ everywhere: '1', admin: '2' });
    client.cookies.set('manual', 'a b');
    expect(client.cookies.get('manual')).toBe('a b');
    expect((await client.get('/cookies')).json()).toEqual({ everywhere: '1', manual: 'a b' });
    client.cookies.clear();
    expect((await client.get('/cookies')).json()).toEqual({});
  });

  it('follows same-origin redirects (303 turns into GET) and reports the final URL', async () => {
    const app = new App({
      routes: [new Route('/submit', () => new RedirectResponse('/echo?done=1', { status: 303 }), { methods: ['POST'] }), echo, new Route('/away', () => new RedirectResponse('https://elsewhere.example/'))],
    });
    const client = new TestClient(app);
    const response = await client.post('/submit', { json: { a: 1 } });
    expect([response.url, (response.json() as { method: string }).method, (response.json() as { body: string }).body]).toEqual(['http://testserver/echo?done=1', 'GET', '']);
    expect((await client.get('/away')).status).toBe(307);
  });

  it('re-throws app errors by default, or gives the 500 a host would send', async () => {
    const crash: GatewayApp = async () => {
      throw new Error('boom');
    };
    await expect(new TestClient(crash).get('/')).rejects.toThrow('boom');
    expect((await new TestClient(crash, { raiseServerExceptions: false }).get('/')).status).toBe(500);
  });

  it('reports a protocol break by the app, naming the rule', async () => {
    const bodyFirst: GatewayApp = async (_scope, _receive, send) => {
      await send({ type: 'http.response.body', body: new Uint8Array() });
    };
    await expect(new TestClient(bodyFirst).get('/')).rejects.toThrow(/protocol rule 'http.body-before-start'/);
  });

  it('answers 400 to a path with broken percent-encoding, like a host', async () => {
    const response = await new TestClient(new App({ routes: [echo] })).get('/bad%C3');
    expect(response.status).toBe(400);
  });

  it('throws a readable error when the body is not JSON', async () => {
    const response = await new TestClient(new App({ routes: [new Route('/', () => new PlainTextResponse('not json'))] })).get('/');
    expect(() => response.json()).toThrow(/the response body is not JSON .*"not json"/);
  });
});
