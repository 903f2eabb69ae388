import { describe, expect, it } from '@jest/globals';
import { App, JSONResponse, PlainTextResponse, Request, Route, TestClient, type Handler } from '@portico/framework';

const appWith = (handler: Handler, methods = ['POST', 'GET']) => new App({ routes: [new Route('/', handler, { methods })] });

describe('Request', () => {
  it('exposes method, url, headers, query, cookies, client and state', async () => {
    const app = new App({
      lifespan: () => ({ state: { version: '1.2' } }),
      routes: [
        new Route('/where/:id<int>', (request) =>
          new JSONResponse({
            method: request.method,
            url: request.url.href,
            path: request.url.path,
            host: request.url.host,
            accept: request.headers.get('ACCEPT'),
            tags: request.queryParams.getAll('tag'),
            page: request.queryParams.get('page'),
            cookies: request.cookies,
            client: request.client,
            state: request.state,
            params: request.pathParams,
          }),
        ),
      ],
    });
    const client = new TestClient(app);
    await client.start();
    const response = await client.get('/where/3?tag=a&tag=b+c', { query: { page: 2 }, headers: { accept: 'text/plain' }, cookies: { theme: 'dark; bold' } });
    expect(response.json()).toEqual({
      method: 'GET',
      url: 'http://testserver/where/3?tag=a&tag=b+c&page=2',
      path: '/where/3',
      host: 'testserver',
      accept: 'text/plain',
      tags: ['a', 'b c'],
      page: '2',
      cookies: { theme: 'dark; bold' },
      client: { host: 'testclient', port: 50000 },
      state: { version: '1.2' },
      params: { id: 3 },
    });
    await client.close();
  });

  it('reads the body once and caches it for text() and json()', async () => {
    const app = appWith(async (request) => {
      const raw = await request.body();
      const text = await request.text();
      const json = await request.json();
      return new JSONResponse({ bytes: raw.length, text, json });
    });
    const response = await new TestClient(app).post('/', { json: { a: 1 } });
    expect(response.json()).toEqual({ bytes: 7, text: '{"a":1}', json: { a: 1 } });
  });

  it('streams the body chunk by chunk and refuses a second stream', async () => {
    const app = appWith(async (request) => {
      const sizes: number[] = [];
      for await (const chunk of request.stream()) sizes.push(chunk.length);
      let second = '';
      try {
        for await (const _chunk of request.stream()) second = 'read again';
      } catch (error) {
        second = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const body = await request.body().catch((error: Error) => error.message);
      return new JSONResponse({ sizes, second, body });
    });
    const chunks = [Buffer.alloc(3), Buffer.alloc(5)];
    expect((await new TestClient(app).post('/', { body: chunks })).json()).toEqual({
      sizes: [3, 5],
      second: 'RequestBodyError: the request body was already streamed; call request.body() first if you need it more than once',
      body: 'the request body was already consumed by stream(), so body() cannot read it',
    });
  });

  it('yields the cached body to stream() after body()', async () => {
    const app = appWith(async (request) => {
      await request.body();
      const chunks: string[] = [];
      for await (const chunk of request.stream()) chunks.push(Buffer.from(chunk).toString());
      return new JSONResponse(chunks);
    });
    expect((await new TestClient(app).post('/', { body: [Buffer.from('ab'), Buffer.from('cd')] })).json()).toEqual(['abcd']);
  });

  it.each([
    ['invalid JSON', '{"a":', /^The request body is not valid JSON: /],
    ['an empty body', '', /^The request body is empty; expected JSON\.$/],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /^The request body is not valid UTF-8; expected JSON\.$/],
  ])('answers %s with 400 and a clear detail', async (_case, body, detail) => {
    const app = appWith(async (request) => new JSONResponse(await request.json()));
    const response = await new TestClient(app).post('/', { body, headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(detail);
  });

  it('parses urlencoded forms with repeated fields', async () => {
    const app = appWith(async (request) => {
      const form = await request.form();
      return new JSONResponse({ title: form.get('title'), tags: form.getAll('tag'), keys: form.keys() });
    });
    const response = await new TestClient(app).post('/', { form: { title: 'Milk & eggs', tag: ['food', 'urgent'] } });
    expect(response.json()).toEqual({ title: 'Milk & eggs', tags: ['food', 'urgent'], keys: ['title', 'tag'] });
  });

  it('answers 415 to a form request of another type, and reads an (empty) multipart form', async () => {
    const app = appWith(async (request) => new JSONResponse((await request.form()).toObject()));
    const client = new TestClient(app);
    const wrongType = await client.post('/', { json: { a: 1 } });
    expect([wrongType.status, wrongType.text]).toEqual([415, 'Expected a form (application/x-www-form-urlencoded or multipart/form-data), got application/json.']);
    const multipart = await client.post('/', { body: '--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect([multipart.status, multipart.json()]).toEqual([200, {}]);
  });

  it('tells whether the client has gone without losing body bytes', async () => {
    let seen: { before: boolean; body: string; after: boolean } | undefined;
    const app = appWith(async (request) => {
      const before = await request.isDisconnected();
      const body = await request.text();
      const response = new PlainTextResponse('ok');
      response.background = async () => {
        seen = { before, body, after: await request.isDisconnected() };
      };
      return response;
    });
    await new TestClient(app).post('/', { body: [Buffer.from('kept '), Buffer.from('whole')] });
    expect(seen).toEqual({ before: false, body: 'kept whole', after: true });
  });

  it('says whether form() was called, so a route waits for close() only when there are uploads to release', async () => {
    const app = appWith(async (request) => {
      const before = request.formRequested;
      const form = await request.form();
      return new JSONResponse({ before, after: request.formRequested, name: form.get('name') });
    });
    const response = await new TestClient(app).post('/', { form: { name: 'ada' } });
    expect(response.json()).toEqual({ before: false, after: true, name: 'ada' });
  });

  it('gives urlFor and baseUrl relative to the app, and a clear error without an App', async () => {
    const app = new App({ routes: [new Route('/notes/:id<int>', (request) => new JSONResponse({ url: request.urlFor('note', { id: 2 }).href, base: request.baseUrl.href }), { name: 'note' })] });
    expect((await new TestClient(app, { rootPath: '/prefix' }).get('/notes/1')).json()).toEqual({ url: 'http://testserver/prefix/notes/2', base: 'http://testserver/prefix/' });
    const bare = new Request({ type: 'http', gateway: { version: '1.0', specVersion: '1.0' }, httpVersion: '1.1', method: 'GET', scheme: 'http', path: '/', rawPath: '/', queryString: '', rootPath: '', headers: [], client: null, server: null, state: {}, extensions: {} });
    expect(() => bare.urlFor('note', { id: 1 })).toThrow(/not served by a Portico App/);
    await expect(bare.body()).rejects.toThrow(/without a receive channel/);
  });
});
