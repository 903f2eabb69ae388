import { describe, expect, it } from '@jest/globals';
import { httpScope, type HeaderList, type SendEvent } from '@portico/protocol';
import { App, Response, Route, TestClient } from '@portico/framework';

describe('Response', () => {
  it('sends bytes or text with Content-Length and a charset on text types', async () => {
    const app = new App({
      routes: [
        new Route('/svg', () => new Response('<svg/>', { status: 201, mediaType: 'image/svg+xml', headers: [['X-Mode', 'a'], ['x-mode', 'b']] })),
        new Route('/csv', () => new Response(Buffer.from('a,b'), { mediaType: 'text/csv' })),
        new Route('/empty', () => new Response(null, { status: 204 })),
      ],
    });
    const client = new TestClient(app);
    const svg = await client.get('/svg');
    expect([svg.status, svg.text, svg.headers.raw]).toEqual([201, '<svg/>', [['x-mode', 'a'], ['x-mode', 'b'], ['content-length', '6'], ['content-type', 'image/svg+xml']]]);
    expect((await client.get('/csv')).headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const empty = await client.get('/empty');
    expect([empty.status, empty.headers.has('content-length'), empty.body.length]).toEqual([204, false, 0]);
  });

  it('keeps a Content-Type and Content-Length the caller set', async () => {
    const app = new App({ routes: [new Route('/', () => new Response('x', { mediaType: 'text/plain', headers: { 'Content-Type': 'text/plain; charset=latin1' } }))] });
    expect((await new TestClient(app).get('/')).headers.getAll('content-type')).toEqual(['text/plain; charset=latin1']);
  });

  it('lets a subclass shape the header list through initHeaders, as Starlette\'s init_headers', () => {
    class Tagged extends Response {
      protected override initHeaders(given: HeaderList): HeaderList {
        return [...super.initHeaders(given), ['x-tag', 'on']];
      }
    }
    expect(new Tagged('hi', { mediaType: 'text/plain' }).headers.raw).toEqual([['content-length', '2'], ['content-type', 'text/plain; charset=utf-8'], ['x-tag', 'on']]);
    expect(new Tagged(null, { status: 304, headers: { etag: '"1"' } }).headers.raw).toEqual([['etag', '"1"'], ['x-tag', 'on']]);
  });

  it('is itself a protocol app, so middleware can answer with one', async () => {
    const response = new Response('early', { mediaType: 'text/plain' });
    const sent: SendEvent[] = [];
    await response(httpScope(), async () => ({ type: 'http.request', body: new Uint8Array(), moreBody: false }), async (event) => {
      sent.push(event);
    });
    expect(sent.map((event) => event.type)).toEqual(['http.response.start', 'http.response.body']);
    expect(typeof response).toBe('function');
    expect(response).toBeInstanceOf(Response);
  });

  it('runs a background task after the body is sent', async () => {
    const order: string[] = [];
    const response = new Response('done', { background: () => order.push('background') });
    await response(httpScope(), async () => ({ type: 'http.disconnect' }), async (event) => {
      order.push(event.type);
    });
    expect(order).toEqual(['http.response.start', 'http.response.body', 'background']);
  });

  it('refuses content it cannot send, pointing to JSONResponse', () => {
    expect(() => new Response({ a: 1 })).toThrow(/must be a string, a Uint8Array or nothing, got an object with keys a; use JSONResponse/);
  });

  it('becomes a denial response in a websocket scope', async () => {
    const sent: SendEvent[] = [];
    const scope = { ...httpScope(), type: 'websocket' as const, scheme: 'ws' as const, subprotocols: [] };
    await new Response('no', { status: 403 })(scope, async () => ({ type: 'websocket.connect' }), async (event) => {
      sent.push(event);
    });
    expect(sent.map((event) => event.type)).toEqual(['websocket.http.response.start', 'websocket.http.response.body']);
  });
});
