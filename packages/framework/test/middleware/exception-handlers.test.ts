import { describe, expect, it } from '@jest/globals';
import type { App as GatewayApp } from '@portico/protocol';
import { App, HTTPException, JSONResponse, Middleware, PlainTextResponse, ResponseCutError, Route, StreamingResponse, TestClient, type ExceptionHandler } from '@portico/framework';

class NoteMissing extends Error {}
class ArchivedNoteMissing extends NoteMissing {}

/** A CORS-like middleware: it must see (and decorate) error responses too. */
const stamp = new Middleware((app: GatewayApp): GatewayApp => async (scope, receive, send) => {
  if (scope.type !== 'http') return app(scope, receive, send);
  await app(scope, receive, (event) => send(event.type === 'http.response.start' ? { ...event, headers: [...(event.headers ?? []), ['x-stamped', 'yes']] } : event));
});

const failing = [
  new Route('/teapot', () => {
    throw new HTTPException(418, 'short and stout', { 'x-why': 'tea' });
  }),
  new Route('/missing', () => {
    throw new ArchivedNoteMissing('note 7');
  }),
  new Route('/crash', () => {
    throw new Error('database on fire');
  }),
];

describe('exception handling', () => {
  it('turns an HTTPException into a plain response with its detail and headers', async () => {
    const response = await new TestClient(new App({ routes: failing })).get('/teapot');
    expect([response.status, response.text, response.headers.get('x-why')]).toEqual([418, 'short and stout', 'tea']);
  });

  it('uses handlers keyed by status code (object form), for framework errors like 404 too', async () => {
    const notFound: ExceptionHandler = (request, error) => new JSONResponse({ detail: error.detail, path: request.url.path }, { status: error.statusCode });
    const app = new App({ routes: failing, exceptionHandlers: { 404: notFound, 418: (_request, error) => new PlainTextResponse(`handled ${error.statusCode}`, { status: 418 }) } });
    const client = new TestClient(app);
    expect((await client.get('/nowhere')).json()).toEqual({ detail: 'Not Found', path: '/nowhere' });
    expect((await client.get('/teapot')).text).toBe('handled 418');
  });

  it('uses handlers keyed by error class, nearest class first (Map form)', async () => {
    const handlers = new Map<number | typeof NoteMissing, ExceptionHandler<never>>([
      [Error, () => new PlainTextResponse('any error', { status: 500 })],
      [NoteMissing, (_request, error: NoteMissing) => new PlainTextResponse(`missing: ${error.message}`, { status: 404 })],
    ]);
    const client = new TestClient(new App({ routes: failing, exceptionHandlers: handlers }));
    const response = await client.get('/missing');
    expect([response.status, response.text]).toEqual([404, 'missing: note 7']);
  });

  it('answers an unexpected error with a bare 500 and still reports the error to the host', async () => {
    const app = new App({ routes: failing });
    await expect(new TestClient(app).get('/crash')).rejects.toThrow('database on fire');
    const response = await new TestClient(app, { raiseServerExceptions: false }).get('/crash');
    expect([response.status, response.text]).toEqual([500, 'Internal Server Error']);
  });

  it('shows the stack when debug is on: HTML for browsers, plain text otherwise', async () => {
    const client = new TestClient(new App({ routes: failing, debug: true }), { raiseServerExceptions: false });
    const html = await client.get('/crash', { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('<h2>Error: database on fire</h2>');
    expect(html.text).toContain('exception-handlers.test.ts');
    const plain = await client.get('/crash');
    expect(plain.text).toMatch(/^Error: database on fire\n\s+at /);
  });

  it('gives the 500 handler an HTTPException(500) whose cause is the error', async () => {
    const app = new App({ routes: failing, exceptionHandlers: { 500: (_request, error) => new JSONResponse({ cause: (error.cause as Error).message }, { status: 500 }) } });
    expect((await new TestClient(app, { raiseServerExceptions: false }).get('/crash')).json()).toEqual({ cause: 'database on fire' });
  });

  it('answers errors inside the user middleware, so middleware decorates even a 500', async () => {
    const client = new TestClient(new App({ routes: failing, middleware: [stamp] }), { raiseServerExceptions: false });
    for (const path of ['/crash', '/teapot', '/nowhere']) expect((await client.get(path)).headers.get('x-stamped')).toBe('yes');
  });

  it('catches what middleware itself throws in the outermost layer, with a 500', async () => {
    const broken = new Middleware((): GatewayApp => async () => {
      throw new Error('middleware bug');
    });
    const app = new App({ routes: failing, middleware: [broken] });
    await expect(new TestClient(app).get('/teapot')).rejects.toThrow('middleware bug');
    expect((await new TestClient(app, { raiseServerExceptions: false }).get('/teapot')).status).toBe(500);
  });

  // Without middleware the App folds both error layers into one: the answers must not change.
  it.each([
    ['without middleware', []],
    ['with middleware', [stamp]],
  ])('falls back to the 500 page when an exception handler throws (%s), and reports the failure', async (_shape, middleware) => {
    const app = new App({ routes: failing, middleware, exceptionHandlers: { 418: () => { throw new Error('handler bug'); } } });
    const response = await new TestClient(app, { raiseServerExceptions: false }).get('/teapot');
    expect([response.status, response.text]).toEqual([500, 'Internal Server Error']);
    await expect(new TestClient(app).get('/teapot')).rejects.toThrow('handler bug');
  });

  // The one-layer and two-layer stacks share their policies: the same answers in both shapes.
  it.each([
    ['without middleware', []],
    ['with middleware', [stamp]],
  ])('passes an error after the response started on to the host, without a second answer (%s)', async (_shape, middleware) => {
    async function* brokenStream(): AsyncGenerator<string> {
      yield 'partial ';
      throw new Error('stream broke');
    }
    const app = new App({ routes: [new Route('/stream', () => new StreamingResponse(brokenStream()))], middleware, exceptionHandlers: { 500: () => new PlainTextResponse('handled', { status: 500 }) } });
    await expect(new TestClient(app).get('/stream')).rejects.toThrow('stream broke');
    await expect(new TestClient(app, { raiseServerExceptions: false }).get('/stream')).rejects.toThrow(ResponseCutError);
  });

  it('rejects an exception handler key that is not a status code, when the app is built', () => {
    expect(() => new App({ exceptionHandlers: { 42: () => new PlainTextResponse('') } })).toThrow('exception handler key 42 is not an HTTP status code');
  });
});
