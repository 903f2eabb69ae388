import { describe, expect, it } from '@jest/globals';
import { websocketScope, type App as GatewayApp } from '@portico/protocol';
import { App, CORSMiddleware, HTTPException, Middleware, PlainTextResponse, Route, TestClient, type CORSOptions } from '@portico/framework';

const site = 'https://app.example.com';
const stranger = 'https://evil.example.net';

function clientWith(options: CORSOptions): TestClient {
  const routes = [
    new Route('/notes', () => new PlainTextResponse('notes', { headers: { 'x-total': '3', vary: 'Accept-Encoding' } }), { methods: ['GET', 'POST'] }),
    new Route('/missing', () => {
      throw new HTTPException(404, 'no such note');
    }),
    new Route('/crash', () => {
      throw new Error('database on fire');
    }),
  ];
  return new TestClient(new App({ routes, middleware: [new Middleware(CORSMiddleware, options)] }), { raiseServerExceptions: false });
}

const preflight = (origin: string, method: string, headers?: string): Record<string, string> => ({
  origin,
  'access-control-request-method': method,
  ...(headers !== undefined && { 'access-control-request-headers': headers }),
});

describe('CORSMiddleware: simple requests', () => {
  it('passes a request without Origin through untouched', async () => {
    const response = await clientWith({ allowOrigins: [site] }).get('/notes');
    expect([response.status, response.text, response.headers.get('vary')]).toEqual([200, 'notes', 'Accept-Encoding']);
    expect(response.headers.keys().filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('lets an allowed origin read the response: the origin echoed, Vary: Origin added to the Vary the app set', async () => {
    const response = await clientWith({ allowOrigins: [site], exposeHeaders: ['x-total'], allowCredentials: true }).get('/notes', { headers: { origin: site } });
    expect(response.headers.get('access-control-allow-origin')).toBe(site);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-total');
    expect(response.headers.getAll('vary')).toEqual(['Accept-Encoding, Origin']);
  });

  it('serves a disallowed origin without CORS headers (the browser hides the body) but with Vary: Origin for caches', async () => {
    const response = await clientWith({ allowOrigins: [site] }).get('/notes', { headers: { origin: stranger } });
    expect([response.status, response.text]).toEqual([200, 'notes']);
    expect(response.headers.has('access-control-allow-origin')).toBe(false);
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('answers any origin with * when there are no credentials, and never with * when there are', async () => {
    const open = await clientWith({ allowOrigins: ['*'] }).get('/notes', { headers: { origin: stranger } });
    expect([open.headers.get('access-control-allow-origin'), open.headers.get('vary')]).toEqual(['*', 'Accept-Encoding']);
    const credentialed = await clientWith({ allowOrigins: ['*'], allowCredentials: true }).get('/notes', { headers: { origin: stranger } });
    expect(credentialed.headers.get('access-control-allow-origin')).toBe(stranger);
    expect(credentialed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(credentialed.headers.get('vary')).toBe('Accept-Encoding, Origin');
  });

  it('matches allowOriginRegex against the whole origin', async () => {
    const client = clientWith({ allowOriginRegex: 'https://[a-z]+\\.example\\.com' });
    expect((await client.get('/notes', { headers: { origin: site } })).headers.get('access-control-allow-origin')).toBe(site);
    const suffixed = await client.get('/notes', { headers: { origin: 'https://app.example.com.evil.net' } });
    expect(suffixed.headers.has('access-control-allow-origin')).toBe(false);
  });

  it('puts its headers on error responses, so a browser can read a 500 and an HTTPException', async () => {
    const client = clientWith({ allowOrigins: [site] });
    const crash = await client.get('/crash', { headers: { origin: site } });
    expect([crash.status, crash.text, crash.headers.get('access-control-allow-origin')]).toEqual([500, 'Internal Server Error', site]);
    const missing = await client.get('/missing', { headers: { origin: site } });
    expect([missing.status, missing.text, missing.headers.get('access-control-allow-origin')]).toEqual([404, 'no such note', site]);
  });

  it('treats OPTIONS without Access-Control-Request-Method as an ordinary request', async () => {
    const response = await clientWith({ allowOrigins: [site] }).options('/notes', { headers: { origin: site } });
    expect([response.status, response.headers.get('allow'), response.headers.get('access-control-allow-origin')]).toEqual([405, 'GET, POST, HEAD', site]);
  });
});

describe('CORSMiddleware: preflight', () => {
  it('grants an allowed preflight with 204 and never reaches the app', async () => {
    const client = clientWith({ allowOrigins: [site], allowMethods: ['GET', 'POST'], allowHeaders: ['X-Token'], allowCredentials: true, maxAge: 60 });
    const response = await client.options('/notes', { headers: preflight(site, 'POST', 'x-token, content-type') });
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers.raw)).toEqual({
      vary: 'Origin',
      'access-control-allow-origin': site,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'accept, accept-language, content-language, content-type, x-token',
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '60',
    });
  });

  it.each([
    ['origin', preflight(stranger, 'GET'), 'Disallowed CORS origin'],
    ['method', preflight(site, 'DELETE'), 'Disallowed CORS method'],
    ['headers', preflight(site, 'GET', 'x-secret'), 'Disallowed CORS headers'],
    ['everything', preflight(stranger, 'DELETE', 'x-secret'), 'Disallowed CORS origin, method, headers'],
  ])('answers a preflight with a disallowed %s with 400 saying what', async (_what, headers, text) => {
    const response = await clientWith({ allowOrigins: [site] }).options('/notes', { headers });
    expect([response.status, response.text, response.headers.has('access-control-allow-origin'), response.headers.get('vary')]).toEqual([400, text, false, 'Origin']);
  });

  it("echoes what was asked for when methods or headers are '*', so it works with credentials too", async () => {
    const client = clientWith({ allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], allowCredentials: true });
    const response = await client.options('/notes', { headers: preflight(stranger, 'PATCH', 'X-One, x-two') });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(stranger);
    expect(response.headers.get('access-control-allow-methods')).toBe('PATCH');
    expect(response.headers.get('access-control-allow-headers')).toBe('x-one, x-two');
    expect(response.headers.get('vary')).toBe('Origin, Access-Control-Request-Headers');
  });

  it('answers * without Vary: Origin for an any-origin policy without credentials', async () => {
    const response = await clientWith({ allowOrigins: ['*'] }).options('/notes', { headers: preflight(stranger, 'GET') });
    expect([response.status, response.headers.get('access-control-allow-origin'), response.headers.has('vary')]).toEqual([204, '*', false]);
    expect(response.headers.has('access-control-allow-credentials')).toBe(false);
  });
});

describe('CORSMiddleware: configuration and other scopes', () => {
  const inner: GatewayApp = async () => undefined;

  it('refuses an origin written with a path or trailing slash, and a maxAge that is not whole seconds', () => {
    expect(() => CORSMiddleware(inner, { allowOrigins: ['https://example.com/'] })).toThrow("CORS allowOrigins: 'https://example.com/' is not an origin; write scheme://host[:port] without a path or trailing slash");
    expect(() => CORSMiddleware(inner, { maxAge: 1.5 })).toThrow('CORS maxAge is in whole seconds, got 1.5');
  });

  it('passes websocket scopes straight through', async () => {
    const seen: unknown[] = [];
    const app = CORSMiddleware(async (scope, _receive, send) => {
      seen.push(scope);
      await send({ type: 'websocket.close' });
    }, { allowOrigins: [site] });
    const scope = websocketScope({ headers: [['origin', stranger]] });
    const sent: unknown[] = [];
    await app(scope, async () => ({ type: 'websocket.connect' }), async (event) => void sent.push(event));
    expect([seen, sent]).toEqual([[scope], [{ type: 'websocket.close' }]]);
  });
});
