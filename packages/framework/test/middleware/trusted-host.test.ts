import { describe, expect, it } from '@jest/globals';
import { httpScope, websocketScope, type SendEvent } from '@portico/protocol';
import { App, Middleware, PlainTextResponse, Route, TestClient, TrustedHostMiddleware, type TrustedHostOptions } from '@portico/framework';

function clientFor(options: TrustedHostOptions, baseUrl = 'http://example.com'): TestClient {
  const app = new App({ routes: [new Route('/notes', (request) => new PlainTextResponse(`notes on ${request.url.host}`))], middleware: [new Middleware(TrustedHostMiddleware, options)] });
  return new TestClient(app, { baseUrl });
}

describe('TrustedHostMiddleware', () => {
  it('serves the hosts it trusts, ignoring the port and the case', async () => {
    const client = clientFor({ allowedHosts: ['example.com', '*.example.org'] });
    expect((await client.get('/notes')).text).toBe('notes on example.com');
    expect((await client.get('/notes', { headers: { host: 'EXAMPLE.com:8080' } })).status).toBe(200);
    expect((await client.get('/notes', { headers: { host: 'api.example.org' } })).text).toBe('notes on api.example.org');
    expect((await client.get('/notes', { headers: { host: 'a.b.example.org' } })).status).toBe(200);
  });

  it.each([
    ['another host', 'evil.com'],
    ['a look-alike suffix', 'evilexample.org'],
    ['the bare domain of a wildcard', 'example.org'],
    ['a host with a path smuggled in', 'example.com/x'],
    ['an empty host', ''],
  ])('answers %s with 400 Invalid host header', async (_what, host) => {
    const response = await clientFor({ allowedHosts: ['example.com', '*.example.org'] }).get('/notes', { headers: { host } });
    expect([response.status, response.text]).toEqual([400, 'Invalid host header']);
  });

  it('refuses a request without any Host header', async () => {
    const app = TrustedHostMiddleware(new PlainTextResponse('never'), { allowedHosts: ['example.com'] });
    const sent: SendEvent[] = [];
    await app(httpScope({ headers: [] }), async () => ({ type: 'http.request', body: new Uint8Array(0), moreBody: false }), async (event) => void sent.push(event));
    expect(sent[0]).toMatchObject({ type: 'http.response.start', status: 400 });
  });

  it('redirects the bare host to its www host when only www is allowed, and not when wwwRedirect is off', async () => {
    const redirecting = clientFor({ allowedHosts: ['www.example.com'] });
    const response = await redirecting.get('http://example.com/notes?page=2', { followRedirects: false });
    expect([response.status, response.headers.get('location')]).toEqual([307, 'http://www.example.com/notes?page=2']);
    expect((await redirecting.get('/notes', { headers: { host: 'www.example.com' } })).text).toBe('notes on www.example.com');
    expect((await clientFor({ allowedHosts: ['www.example.com'], wwwRedirect: false }).get('/notes')).status).toBe(400);
  });

  it("trusts every host by default or with '*'", async () => {
    expect((await clientFor({}).get('/notes', { headers: { host: 'anything.test' } })).status).toBe(200);
    expect((await clientFor({ allowedHosts: ['*'] }).get('/notes', { headers: { host: 'anything.test' } })).status).toBe(200);
  });

  it('refuses patterns with a * elsewhere than in front', () => {
    expect(() => TrustedHostMiddleware(new PlainTextResponse(''), { allowedHosts: ['api.*.com'] })).toThrow("TrustedHostMiddleware allowedHosts: 'api.*.com' may use '*' only as the whole pattern or as a leading '*.'");
  });

  it('refuses a websocket handshake to an untrusted host: a 400 denial when the host offers it, a close otherwise', async () => {
    const app = TrustedHostMiddleware(new PlainTextResponse('never'), { allowedHosts: ['example.com'] });
    const connect = async (): Promise<{ type: 'websocket.connect' }> => ({ type: 'websocket.connect' });
    const closed: SendEvent[] = [];
    await app(websocketScope({ headers: [['host', 'evil.com']] }), connect, async (event) => void closed.push(event));
    expect(closed).toEqual([{ type: 'websocket.close', code: 1008 }]);
    const denied: SendEvent[] = [];
    await app(websocketScope({ headers: [['host', 'evil.com']], extensions: { 'websocket.http.response': {} } }), connect, async (event) => void denied.push(event));
    expect(denied[0]).toMatchObject({ type: 'websocket.http.response.start', status: 400 });
    expect(Buffer.from((denied[1] as { body: Uint8Array }).body).toString()).toBe('Invalid host header');
  });
});
