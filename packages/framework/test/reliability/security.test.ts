/**
 * Security in the framework, through its public API and the TestClient: header and cookie
 * injection is refused where the header is set (a TypeError/CookieError at the call, never a
 * split response); every body and form limit answers with its status; TrustedHostMiddleware
 * refuses foreign hosts however they are dressed up; session cookies signed with a rotated-out or
 * wrong key are an empty session, and an old key still in the list is accepted and re-signed.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  App, CookieError, HTTPException, Middleware, MutableHeaders, PlainTextResponse, RedirectResponse, Response, SessionMiddleware,
  TestClient, TrustedHostMiddleware, setCookieHeader, type TestResponse,
} from '@portico/framework';

/** Values that would end a header line or the header block if written as they are. */
const BREAKERS = ['\r\n', '\n', '\r', '\0'];
const injected = (breaker: string): string => `a${breaker}x-injected: 1`;

describe('header injection is refused at the API call', () => {
  it.each(BREAKERS.map((b) => [JSON.stringify(b), b]))('Response headers with %s in a value or a name', (_label, breaker) => {
    expect(() => new Response('x', { headers: { 'x-note': injected(breaker) } })).toThrow(TypeError);
    expect(() => new Response('x', { headers: [['x-note', injected(breaker)]] })).toThrow(/header/i);
    expect(() => new Response('x', { headers: { [`x-note${breaker}x-injected`]: '1' } })).toThrow(/header/i);
    expect(() => new PlainTextResponse('x', { headers: { 'x-note': injected(breaker) } })).toThrow(TypeError);
  });

  it.each(BREAKERS.map((b) => [JSON.stringify(b), b]))('MutableHeaders.set and append with %s', (_label, breaker) => {
    const headers = new Response('x').headers;
    expect(() => headers.set('x-note', injected(breaker))).toThrow(TypeError);
    expect(() => headers.append('x-note', injected(breaker))).toThrow(TypeError);
    expect(() => headers.set(`x-note${breaker}x-injected`, '1')).toThrow(TypeError);
    expect(() => headers.append(`x-note${breaker}`, '1')).toThrow(TypeError);
    expect(headers.raw.some(([name, value]) => `${name}${value}`.includes('injected'))).toBe(false);
  });

  it('refuses header names that are not RFC 9110 tokens (a colon, a space, empty)', () => {
    const headers = new MutableHeaders([]);
    for (const name of ['x-a: b', 'x a', '', 'x-é']) expect(() => headers.set(name, '1')).toThrow(TypeError);
  });

  it.each(BREAKERS.map((b) => [JSON.stringify(b), b]))('HTTPException headers with %s', (_label, breaker) => {
    expect(() => new HTTPException(401, 'sign in', { 'www-authenticate': injected(breaker) })).toThrow(TypeError);
  });

  it('keeps ordinary values: tabs, obs-text (latin1), quotes and commas', () => {
    const response = new Response('x', { headers: { 'x-a': 'one,\ttwo "three"', 'x-latin1': 'caf\u00e9' } });
    response.headers.append('x-b', 'a=1; b=2');
    expect(response.headers.get('x-a')).toBe('one,\ttwo "three"');
  });

  it.each(BREAKERS.map((b) => [JSON.stringify(b), b]))('cookies with %s: names, paths and domains refused, values percent-encoded', (_label, breaker) => {
    expect(() => setCookieHeader(`sid${breaker}x`, 'v')).toThrow(CookieError);
    expect(() => setCookieHeader('sid', 'v', { path: `/${breaker}x-injected: 1` })).toThrow(CookieError);
    expect(() => setCookieHeader('sid', 'v', { domain: `example.com${breaker}x` })).toThrow(CookieError);
    const response = new Response('x');
    expect(() => response.setCookie(`sid${breaker}`, 'v')).toThrow(CookieError);
    expect(() => response.setCookie('sid', 'v', { path: `/a${breaker}` })).toThrow(CookieError);
    expect(() => response.setCookie('sid', 'v', { domain: `a${breaker}.com` })).toThrow(CookieError);
    const header = setCookieHeader('sid', injected(breaker));
    expect(header).not.toMatch(/[\r\n\0]/);
    expect(header.startsWith(`sid=a${encodeURIComponent(breaker)}x-injected%3A%201;`)).toBe(true);
  });

  it('refuses a cookie value that would add an attribute, by encoding it', () => {
    expect(setCookieHeader('sid', 'v; Domain=evil.com')).toMatch(/^sid=v%3B%20Domain%3Devil\.com; Path=\//);
  });

  it('percent-encodes CR, LF and NUL in a RedirectResponse URL: one Location field', async () => {
    const target = '/next\r\nset-cookie: stolen=1\0';
    const response = new RedirectResponse(target);
    expect(response.headers.getAll('location')).toEqual(['/next%0D%0Aset-cookie:%20stolen=1%00']);
    const app = new App();
    app.get('/go', () => new RedirectResponse(`https://example.com/a\r\nx-injected: 1`));
    const answer = await new TestClient(app, { followRedirects: false }).get('/go');
    expect(answer.status).toBe(307);
    expect(answer.headers.has('x-injected')).toBe(false);
    expect(answer.headers.get('location')).toBe('https://example.com/a%0D%0Ax-injected:%201');
  });
});

describe('body and form limits', () => {
  function limitedApp(): App {
    const app = new App({ bodyLimit: 1024 });
    app.post('/json', async (request) => new PlainTextResponse(String(JSON.stringify(await request.json()).length)));
    app.post('/form', async (request) => {
      const form = await request.form({ maxFiles: 1, maxFields: 2, maxPartSize: 100, maxFileSize: 200 });
      return new PlainTextResponse([...form.keys()].join(','));
    });
    return app;
  }

  it('answers 413 to a body over the App bodyLimit, declared or streamed', async () => {
    const client = new TestClient(limitedApp());
    expect((await client.post('/json', { json: { a: 'x'.repeat(1000) } })).status).toBe(200);
    expect((await client.post('/json', { json: { a: 'x'.repeat(1100) } })).status).toBe(413);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10; i++) yield Buffer.from('"'.padEnd(200, 'x'));
    }
    expect((await client.post('/json', { body: chunks(), headers: { 'content-type': 'application/json' } })).status).toBe(413);
  });

  it('answers 400 to more files than maxFiles and to more fields than maxFields', async () => {
    const client = new TestClient(limitedApp());
    expect((await client.post('/form', { files: { a: ['a.txt', 'a'], b: ['b.txt', 'b'] } })).status).toBe(400);
    expect((await client.post('/form', { form: { a: '1', b: '2', c: '3' } })).status).toBe(400);
    expect((await client.post('/form', { form: { a: '1', b: '2' } })).text).toBe('a,b');
  });

  it('answers 413 to a field over maxPartSize and a file over maxFileSize, urlencoded or multipart', async () => {
    const client = new TestClient(limitedApp());
    expect((await client.post('/form', { form: { a: 'x'.repeat(101) } })).status).toBe(413);
    expect((await client.post('/form', { files: { f: ['f.txt', 'x'.repeat(10)] }, form: { a: 'x'.repeat(101) } })).status).toBe(413);
    expect((await client.post('/form', { files: { f: ['f.txt', 'x'.repeat(201)] } })).status).toBe(413);
    // Exactly at the limits is within them, multipart as urlencoded.
    expect((await client.post('/form', { files: { f: ['f.txt', 'x'.repeat(200)] } })).text).toBe('f');
    expect((await client.post('/form', { files: { f: ['f.txt', 'x'] }, form: { a: 'x'.repeat(100) } })).text).toBe('a,f');
    expect((await client.post('/form', { form: { a: 'x'.repeat(100) } })).text).toBe('a');
  });
});

describe('TrustedHostMiddleware against Host-header attacks', () => {
  const app = new App({ middleware: [new Middleware(TrustedHostMiddleware, { allowedHosts: ['example.com', '*.example.com', '::1'], wwwRedirect: false })] });
  app.get('/', (request) => new PlainTextResponse(request.url.hostname));
  const client = new TestClient(app);
  const withHost = (host: string, extra: Record<string, string> = {}): Promise<{ status: number; text: string }> =>
    client.get('/', { headers: { host, ...extra } });

  it.each([
    ['example.com', 200],
    ['EXAMPLE.com', 200],
    ['example.com:8443', 200], // the port is ignored
    ['api.example.com', 200],
    ['[::1]:8000', 200], // an allowed IPv6 literal with a port
    ['evil.com', 400],
    ['example.com.evil.com', 400],
    ['evilexample.com', 400], // '*.example.com' is a label boundary, not a suffix
    ['.example.com', 400],
    ['example.com@evil.com', 400],
    ['evil.com#example.com', 400],
    ['example.com:80:80', 400],
    ['example.com:80x', 400],
    ['[::2]', 400],
    ['[::1', 400],
    ['example.com evil.com', 400],
    ['', 400],
  ])('Host: %j → %i', async (host, status) => {
    expect((await withHost(host)).status).toBe(status);
  });

  it('ignores X-Forwarded-Host: a foreign Host is refused, and a forwarded host never replaces an allowed one', async () => {
    expect((await withHost('evil.com', { 'x-forwarded-host': 'example.com' })).status).toBe(400);
    const allowed = await withHost('example.com', { 'x-forwarded-host': 'evil.com' });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toBe('example.com');
  });

  it('refuses a websocket handshake with a foreign Host', async () => {
    const sockets = new App({ middleware: [new Middleware(TrustedHostMiddleware, { allowedHosts: ['example.com'] })] });
    sockets.websocket('/ws', async (websocket) => websocket.accept());
    await expect(new TestClient(sockets).websocketConnect('/ws', { headers: { host: 'evil.com' } })).rejects.toMatchObject({ response: { status: 400 } });
  });
});

describe('session cookies and keys', () => {
  function sessionApp(secretKey: string | string[]): App {
    const app = new App({ middleware: [new Middleware(SessionMiddleware, { secretKey })] });
    app.get('/login', (request) => {
      request.session.user = 'ada';
      return new PlainTextResponse('in');
    });
    app.get('/me', (request) => new PlainTextResponse(JSON.stringify(request.session)));
    return app;
  }

  async function cookieSignedWith(key: string): Promise<string> {
    const response = await new TestClient(sessionApp(key)).get('/login');
    const header = response.headers.get('set-cookie') ?? '';
    return decodeURIComponent(/^session=([^;]+)/.exec(header)?.[1] ?? '');
  }

  const me = (app: App, cookie: string): Promise<TestResponse> =>
    new TestClient(app).get('/me', { headers: { cookie: `session=${encodeURIComponent(cookie)}` } });

  it('accepts a cookie signed with an old key still in the list, and re-signs it with the new key', async () => {
    const old = await cookieSignedWith('old-key');
    const rotated = sessionApp(['new-key', 'old-key']);
    const response = await me(rotated, old);
    expect(response.text).toBe('{"user":"ada"}');
    const resent = decodeURIComponent(/^session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? '');
    expect(resent).not.toBe(old);
    expect((await me(sessionApp('new-key'), resent)).text).toBe('{"user":"ada"}'); // signed with the new key alone
  });

  it('ignores a cookie signed with a key no longer in the list, or a wrong key: an empty session, no error', async () => {
    const old = await cookieSignedWith('old-key');
    expect((await me(sessionApp('new-key'), old)).text).toBe('{}');
    expect((await me(sessionApp(['new-key', 'other-key']), old)).text).toBe('{}');
  });

  it('ignores a cookie whose data was changed after signing, and garbage cookies', async () => {
    const good = await cookieSignedWith('key');
    const [data, issued, mac] = good.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ user: 'admin' })).toString('base64url');
    const app = sessionApp('key');
    expect((await me(app, `${forged}.${issued}.${mac}`)).text).toBe('{}');
    // A forger who knows the format but not the key.
    const guessed = createHmac('sha256', 'guess').update(`${forged}.${issued}`).digest('base64url');
    expect((await me(app, `${forged}.${issued}.${guessed}`)).text).toBe('{}');
    for (const junk of ['', '.', '..', 'a.b.c', `${data}..${mac}`, `${data}.${issued}.`, 'x'.repeat(5000)]) {
      expect((await me(app, junk)).text).toBe('{}');
    }
  });
});
