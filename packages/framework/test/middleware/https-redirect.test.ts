import { describe, expect, it } from '@jest/globals';
import { websocketScope, type HeaderList, type SendEvent } from '@portico/protocol';
import { App, Headers, HTTPSRedirectMiddleware, Middleware, PlainTextResponse, Route, TestClient } from '@portico/framework';

function appWith(permanent?: boolean): App {
  const routes = [new Route('/notes', (request) => new PlainTextResponse(`${request.method} over ${request.url.scheme}`), { methods: ['GET', 'POST'] })];
  return new App({ routes, middleware: [new Middleware(HTTPSRedirectMiddleware, permanent === undefined ? undefined : { permanent })] });
}

describe('HTTPSRedirectMiddleware', () => {
  it('sends http to https with 307, keeping the path, the query and the method', async () => {
    const client = new TestClient(appWith(), { followRedirects: false });
    const response = await client.post('http://example.com/notes?tag=a%20b', { body: 'x' });
    expect([response.status, response.headers.get('location')]).toEqual([307, 'https://example.com/notes?tag=a%20b']);
  });

  it('keeps a non-default port and drops :80', async () => {
    const client = new TestClient(appWith(), { followRedirects: false });
    expect((await client.get('http://example.com:8080/notes')).headers.get('location')).toBe('https://example.com:8080/notes');
    expect((await client.get('http://example.com:80/notes')).headers.get('location')).toBe('https://example.com/notes');
  });

  it('uses 308 when permanent, and serves https requests', async () => {
    expect((await new TestClient(appWith(true), { followRedirects: false }).get('http://example.com/notes')).status).toBe(308);
    const secure = new TestClient(appWith(), { baseUrl: 'https://example.com' });
    expect((await secure.post('/notes')).text).toBe('POST over https');
  });

  it('sends a ws handshake to wss: a redirect denial when the host offers it, a close otherwise', async () => {
    const app = appWith();
    const connect = async (): Promise<{ type: 'websocket.connect' }> => ({ type: 'websocket.connect' });
    const denied: SendEvent[] = [];
    await app(websocketScope({ path: '/live', headers: [['host', 'example.com']], extensions: { 'websocket.http.response': {} } }), connect, async (event) => void denied.push(event));
    expect(denied[0]).toMatchObject({ type: 'websocket.http.response.start', status: 307 });
    expect(new Headers((denied[0] as { headers: HeaderList }).headers).get('location')).toBe('wss://example.com/live');
    const closed: SendEvent[] = [];
    await app(websocketScope({ path: '/live', headers: [['host', 'example.com']] }), connect, async (event) => void closed.push(event));
    expect(closed).toEqual([{ type: 'websocket.close', code: 1008 }]);
  });
});
