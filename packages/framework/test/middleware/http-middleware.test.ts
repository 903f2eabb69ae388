import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from '@jest/globals';
import { httpScope, type App as GatewayApp, type HttpReceiveEvent } from '@portico/protocol';
import { App, HTTPException, JSONResponse, PlainTextResponse, Route, StreamingResponse, TestClient, httpMiddleware, type Request } from '@portico/framework';
import { survivesGc } from '../support/garbage';

describe('(request, next) middleware', () => {
  it('lets the middleware change the response the inner app produced', async () => {
    const app = new App({ routes: [new Route('/', () => new PlainTextResponse('inner', { status: 201 }))] });
    app.use(async (request, next) => {
      const response = await next();
      response.headers.set('x-path', request.url.path);
      response.status = 202;
      return response;
    });
    const response = await new TestClient(app).get('/');
    expect([response.status, response.text, response.headers.get('x-path'), response.headers.get('content-length')]).toEqual([202, 'inner', '/', '5']);
  });

  it('keeps a streaming response streaming: next() resolves before the body is produced', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    async function* body() {
      yield 'first ';
      await released; // only the middleware can release this, after next() resolved
      yield 'second';
    }
    const app = new App({ routes: [new Route('/', () => new StreamingResponse(body()))] });
    app.use(async (_request, next) => {
      const response = await next();
      release();
      return response;
    });
    expect((await new TestClient(app).get('/')).text).toBe('first second');
  });

  it('keeps AsyncLocalStorage: a store entered around next() is seen by the handler', async () => {
    const context = new AsyncLocalStorage<{ requestId: string }>();
    const app = new App({
      routes: [
        new Route('/', () => new JSONResponse({ handler: context.getStore()?.requestId ?? null })),
        new Route('/stream', () => new StreamingResponse((async function* () { yield `stream sees ${context.getStore()?.requestId}`; })())),
      ],
    });
    app.use((request, next) => context.run({ requestId: request.headers.get('x-request-id') ?? '?' }, next));
    const client = new TestClient(app);
    expect((await client.get('/', { headers: { 'x-request-id': 'r-1' } })).json()).toEqual({ handler: 'r-1' });
    expect((await client.get('/stream', { headers: { 'x-request-id': 'r-2' } })).text).toBe('stream sees r-2');
  });

  it('replays a body the middleware read to the handler', async () => {
    const app = new App({ routes: [new Route('/', async (request) => new JSONResponse({ handler: await request.json() }), { methods: ['POST'] })] });
    app.use(async (request, next) => {
      const raw = await request.text();
      const response = await next();
      response.headers.set('x-body-length', String(raw.length));
      return response;
    });
    const response = await new TestClient(app).post('/', { json: { title: 'kept' } });
    expect([response.json(), response.headers.get('x-body-length')]).toEqual([{ handler: { title: 'kept' } }, '16']);
  });

  it('can answer with a response that streams the request body back', async () => {
    const app = new App({ routes: [new Route('/', () => new PlainTextResponse('inner'))] });
    app.use(async (request, next) => (request.method === 'POST' ? new StreamingResponse(request.stream()) : next()));
    const client = new TestClient(app);
    expect((await client.post('/', { body: 'sent back as it came' })).text).toBe('sent back as it came');
    expect((await client.get('/')).text).toBe('inner');
  });

  it('can answer without calling next, or replace the response next gave', async () => {
    let innerStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (innerStopped = resolve));
    const app = new App({
      routes: [
        new Route('/', () =>
          new StreamingResponse((async function* () {
            try {
              for (;;) {
                yield 'x';
                await new Promise((resolve) => setImmediate(resolve));
              }
            } finally {
              innerStopped();
            }
          })()),
        ),
      ],
    });
    app.use(async (request, next) => {
      if (request.queryParams.has('deny')) return new PlainTextResponse('denied', { status: 403 });
      await next();
      return new PlainTextResponse('replaced');
    });
    const client = new TestClient(app);
    expect((await client.get('/?deny')).status).toBe(403);
    expect((await client.get('/')).text).toBe('replaced');
    await stopped; // the inner stream was told the client left (the test would time out otherwise)
  });

  it('lets errors reach the right layer: handler errors are answered inside, middleware HTTPExceptions outside', async () => {
    const app = new App({ routes: [] });
    app.use(async (_request, next) => {
      try {
        return await next();
      } catch (error) {
        return new PlainTextResponse(`caught ${String(error)}`, { status: 500 });
      }
    });
    // The inner exception layer answers the 404 itself, so the middleware sees a response, not an error.
    expect((await new TestClient(app).get('/nowhere')).status).toBe(404);
    const inner = httpMiddleware(async () => {
      throw new HTTPException(409, 'conflict in middleware');
    });
    const app2 = new App({ middleware: [inner] });
    const response = await new TestClient(app2).get('/');
    expect([response.status, response.text]).toEqual([409, 'conflict in middleware']);
  });

  it('explains a middleware that forgets to return, or calls next twice', async () => {
    const forgot = new App({ routes: [new Route('/', () => new PlainTextResponse('x'))] });
    forgot.use((async (_request: Request, next: () => Promise<unknown>) => {
      await next();
    }) as never);
    await expect(new TestClient(forgot).get('/')).rejects.toThrow('a (request, next) middleware returned undefined: did you forget to return a Response or await next()?');
    const twice = new App({ routes: [new Route('/', () => new PlainTextResponse('x'))] });
    twice.use(async (_request, next) => {
      await next();
      return next();
    });
    await expect(new TestClient(twice).get('/')).rejects.toThrow('next() was called twice');
  });

  it('passes a failure after the response started on to the host', async () => {
    const app = new App({
      routes: [new Route('/', () => new StreamingResponse((async function* () { yield 'partial'; throw new Error('stream broke'); })()))],
    });
    app.use((_request, next) => next());
    await expect(new TestClient(app).get('/')).rejects.toThrow('stream broke');
  });

  it('lets go of each body chunk the app inside has read, so a long upload does not pile up in memory', async () => {
    let first: WeakRef<Uint8Array> | undefined;
    let firstSurvived: boolean | undefined;
    let received = 0;
    const receive = async (): Promise<HttpReceiveEvent> => {
      const body = new Uint8Array(1024).fill(received);
      if (received === 0) first = new WeakRef(body);
      received += 1;
      return { type: 'http.request', body, moreBody: received < 5 };
    };
    const inner: GatewayApp = async (_scope, innerReceive, send) => {
      for (let event = await innerReceive(); event.type === 'http.request' && event.moreBody; event = await innerReceive());
      await new Promise((resolve) => setImmediate(resolve));
      firstSurvived = survivesGc(first!);
      await send({ type: 'http.response.start', status: 204, headers: [] });
      await send({ type: 'http.response.body' });
    };
    const app = httpMiddleware((request, next) => next(request)).wrap(inner);
    await app(httpScope({ method: 'POST' }), receive, async () => undefined);
    expect([received, firstSurvived]).toEqual([5, false]);
  });
});
