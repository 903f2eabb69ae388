import { describe, expect, it } from '@jest/globals';
import {
  App,
  AuthCredentials,
  AuthenticationMiddleware,
  HTMLResponse,
  Middleware,
  PlainTextResponse,
  Route,
  SimpleUser,
  TestClient,
  UnauthenticatedUser,
  requires,
  type AuthenticationBackend,
} from '@portico/framework';

/** `x-user: name:scope,scope` signs in; no header is anonymous. */
const headerBackend: AuthenticationBackend = {
  authenticate(conn) {
    const header = conn.headers.get('x-user');
    if (header === undefined) return null;
    const [name = '', scopes = ''] = header.split(':');
    return { credentials: new AuthCredentials(scopes.split(',')), user: new SimpleUser(name) };
  },
};

const app = new App({
  routes: [
    new Route('/login', () => new HTMLResponse('<form>sign in</form>'), { name: 'login' }),
    new Route('/me', requires('authenticated')((request) => new PlainTextResponse(`hello ${request.user.displayName}`))),
    new Route('/admin', requires(['authenticated', 'admin'], { redirect: 'login' })(function adminPage() {
      return new PlainTextResponse('admin area');
    })),
    new Route('/secret', requires('admin', { status: 404 })(() => new PlainTextResponse('hidden'))),
  ],
  middleware: [new Middleware(AuthenticationMiddleware, { backend: headerBackend })],
});
const client = new TestClient(app, { followRedirects: false });

describe('requires', () => {
  it('runs the handler when every scope is granted', async () => {
    expect((await client.get('/me', { headers: { 'x-user': 'ada:authenticated' } })).text).toBe('hello ada');
    expect((await client.get('/admin', { headers: { 'x-user': 'ada:authenticated,admin' } })).text).toBe('admin area');
  });

  it('answers 403 when a scope is missing, or the status it was given', async () => {
    expect((await client.get('/me')).status).toBe(403);
    expect((await client.get('/secret', { headers: { 'x-user': 'bob:authenticated' } })).status).toBe(404);
  });

  it('redirects to the named route with ?next= the URL asked for', async () => {
    const response = await client.get('/admin?tab=users', { headers: { 'x-user': 'bob:authenticated' } });
    expect([response.status, response.headers.get('location')]).toEqual([303, 'http://testserver/login?next=http%3A%2F%2Ftestserver%2Fadmin%3Ftab%3Dusers']);
  });

  it("keeps the handler's name, so routes stay reversible by it", () => {
    expect(app.urlPathFor('adminPage')).toBe('/admin');
  });

  it('tells a handler that needs request.auth without the middleware what to add', async () => {
    const bare = new App({ routes: [new Route('/me', requires('authenticated')(() => new PlainTextResponse('')))] });
    await expect(new TestClient(bare).get('/me')).rejects.toThrow('request.auth needs AuthenticationMiddleware: add new Middleware(AuthenticationMiddleware, { backend }) to the app');
  });
});

describe('users', () => {
  it('SimpleUser is signed in under its name; UnauthenticatedUser is nobody', () => {
    const ada = new SimpleUser('ada');
    const nobody = new UnauthenticatedUser();
    expect([ada.isAuthenticated, ada.displayName, ada.username]).toEqual([true, 'ada', 'ada']);
    expect([nobody.isAuthenticated, nobody.displayName]).toEqual([false, '']);
  });
});
