import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { websocketScope, type App as GatewayApp } from '@portico/protocol';
import { App, JSONResponse, Middleware, PlainTextResponse, Route, SessionMiddleware, SessionTooLargeError, TestClient, type SessionOptions } from '@portico/framework';

const routes = [
  new Route(
    '/login',
    async (request) => {
      request.session['user'] = ((await request.json()) as { user: string }).user;
      return new PlainTextResponse('signed in');
    },
    { methods: ['POST'] },
  ),
  new Route('/me', (request) => new JSONResponse(request.session)),
  new Route(
    '/logout',
    (request) => {
      for (const key of Object.keys(request.session)) delete request.session[key];
      return new PlainTextResponse('signed out');
    },
    { methods: ['POST'] },
  ),
  new Route(
    '/hoard',
    (request) => {
      request.session['blob'] = 'x'.repeat(5000);
      return new PlainTextResponse('too much');
    },
    { methods: ['POST'] },
  ),
];

function clientWith(options: Partial<SessionOptions> = {}, baseUrl?: string): TestClient {
  const app = new App({ routes, middleware: [new Middleware(SessionMiddleware, { secretKey: 'current key', ...options })] });
  return new TestClient(app, baseUrl === undefined ? {} : { baseUrl });
}

/** Sign in and return the raw cookie value the app set. */
async function signedCookie(client: TestClient, user = 'ada'): Promise<string> {
  const response = await client.post('/login', { json: { user } });
  return /^session=([^;]+)/.exec(response.headers.get('set-cookie')!)![1]!;
}

const me = (client: TestClient, cookie: string): Promise<unknown> => client.get('/me', { headers: { cookie: `session=${cookie}` } }).then((response) => response.json());

afterEach(() => {
  jest.restoreAllMocks();
});

describe('SessionMiddleware', () => {
  it('keeps what a handler stores, in a signed HttpOnly cookie with the default attributes', async () => {
    const client = clientWith();
    const login = await client.post('/login', { json: { user: 'ada' } });
    expect(login.headers.get('set-cookie')).toMatch(/^session=[\w-]+\.[0-9a-z]+\.[\w-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/);
    expect((await client.get('/me')).json()).toEqual({ user: 'ada' });
  });

  it('sets no cookie for a visitor whose session stays empty', async () => {
    expect((await clientWith().get('/me')).headers.has('set-cookie')).toBe(false);
  });

  it('deletes the cookie once the session is emptied', async () => {
    const client = clientWith();
    await client.post('/login', { json: { user: 'ada' } });
    const logout = await client.post('/logout');
    expect(logout.headers.get('set-cookie')).toMatch(/^session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
    expect((await client.get('/me')).json()).toEqual({});
  });

  it('gives an empty session, never an error, for a tampered cookie, and deletes it', async () => {
    const client = clientWith();
    const cookie = await signedCookie(client);
    const [data, issued, signature] = cookie.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ user: 'admin' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1)!;
    for (const bad of [`${forged}.${issued}.${signature}`, `${data}.${issued}.${flipped}`, `${data}.${(parseInt(issued, 36) + 1).toString(36)}.${signature}`, 'garbage', 'a.b.c', '..', `${data}.${issued}`]) {
      const response = await client.get('/me', { headers: { cookie: `session=${bad}` } });
      expect([response.status, response.json()]).toEqual([200, {}]);
      expect(response.headers.get('set-cookie')).toMatch(/^session=; Max-Age=0/);
    }
  });

  it('gives an empty session for a cookie signed with a key it does not know', async () => {
    const cookie = await signedCookie(clientWith({ secretKey: 'someone else' }));
    expect(await me(clientWith(), cookie)).toEqual({});
  });

  it('gives an empty session for a cookie older than maxAge, even when the client still sends it', async () => {
    const client = clientWith({ maxAge: 60 });
    const cookie = await signedCookie(client);
    expect(await me(client, cookie)).toEqual({ user: 'ada' });
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(await me(client, cookie)).toEqual({});
  });

  it('rotates secrets: the first key signs, every key verifies', async () => {
    const oldCookie = await signedCookie(clientWith({ secretKey: 'old key' }));
    const rotated = clientWith({ secretKey: ['new key', 'old key'] });
    const response = await rotated.get('/me', { headers: { cookie: `session=${oldCookie}` } });
    expect(response.json()).toEqual({ user: 'ada' });
    const resigned = /^session=([^;]+)/.exec(response.headers.get('set-cookie')!)![1]!;
    expect(await me(clientWith({ secretKey: 'new key' }), resigned)).toEqual({ user: 'ada' });
    expect(await me(clientWith({ secretKey: 'new key' }), oldCookie)).toEqual({});
  });

  it('writes the cookie options it was given', async () => {
    const client = clientWith({ sessionCookie: 'sid', maxAge: null, sameSite: 'strict', httpsOnly: true, path: '/app', domain: 'example.com' }, 'https://example.com');
    const header = (await client.post('/login', { json: { user: 'ada' } })).headers.get('set-cookie');
    expect(header).toMatch(/^sid=[^;]+; Domain=example\.com; Path=\/app; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('refuses to send a session larger than browsers keep', async () => {
    await expect(clientWith().post('/hoard')).rejects.toThrow(SessionTooLargeError);
  });

  it('refuses a missing secret key and a maxAge that is not positive, when the stack is built', () => {
    const inner: GatewayApp = async () => undefined;
    expect(() => SessionMiddleware(inner, { secretKey: '' })).toThrow('SessionMiddleware needs a secretKey');
    expect(() => SessionMiddleware(inner, { secretKey: [] })).toThrow('SessionMiddleware needs a secretKey');
    expect(() => SessionMiddleware(inner, { secretKey: 'k', maxAge: 0 })).toThrow('SessionMiddleware maxAge is a positive number of seconds or null, got 0');
    expect(() => SessionMiddleware(inner, { secretKey: 'k', sameSite: 'none' })).toThrow("sameSite 'none' needs secure: true");
  });

  it('tells a handler that reads request.session without the middleware what to add', async () => {
    const app = new App({ routes });
    await expect(new TestClient(app).get('/me')).rejects.toThrow('request.session needs SessionMiddleware: add new Middleware(SessionMiddleware, { secretKey }) to the app');
  });

  it('gives a websocket handshake the session of its cookie', async () => {
    const cookie = await signedCookie(clientWith());
    let seen: unknown;
    const app = SessionMiddleware(
      async (scope, _receive, send) => {
        seen = (scope as { session?: unknown }).session;
        await send({ type: 'websocket.close' });
      },
      { secretKey: 'current key' },
    );
    await app(websocketScope({ headers: [['cookie', `session=${cookie}`]] }), async () => ({ type: 'websocket.connect' }), async () => undefined);
    expect(seen).toEqual({ user: 'ada' });
  });
});
