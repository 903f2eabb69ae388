import { describe, expect, it } from '@jest/globals';
import { websocketScope, type SendEvent } from '@portico/protocol';
import {
  App,
  AuthCredentials,
  AuthenticationError,
  AuthenticationMiddleware,
  JSONResponse,
  Middleware,
  PlainTextResponse,
  Route,
  SimpleUser,
  TestClient,
  UnauthenticatedUser,
  type AuthenticationBackend,
  type AuthenticationOptions,
} from '@portico/framework';

const tokens = new Map([['t-ada', { name: 'ada', scopes: ['authenticated', 'admin'] }]]);

/** `Authorization: Bearer <token>`: none is anonymous, an unknown token is an AuthenticationError. */
const bearer: AuthenticationBackend = {
  async authenticate(conn) {
    const header = conn.headers.get('authorization');
    if (header === undefined) return null;
    if (header === 'Bearer crash') throw new Error('token store unreachable');
    const known = tokens.get(header.replace(/^Bearer /, ''));
    if (!known) throw new AuthenticationError('unknown token');
    return { credentials: new AuthCredentials(known.scopes), user: new SimpleUser(known.name) };
  },
};

const whoami = new Route('/whoami', (request) =>
  new JSONResponse({ authenticated: request.user.isAuthenticated, name: request.user.displayName, scopes: request.auth.scopes, anonymous: request.user instanceof UnauthenticatedUser }),
);

function clientWith(options: Partial<AuthenticationOptions> = {}): TestClient {
  const app = new App({ routes: [whoami], middleware: [new Middleware(AuthenticationMiddleware, { backend: bearer, ...options })] });
  return new TestClient(app, { raiseServerExceptions: false });
}

describe('AuthenticationMiddleware', () => {
  it('puts the user and the scopes the backend found on the request', async () => {
    const response = await clientWith().get('/whoami', { headers: { authorization: 'Bearer t-ada' } });
    expect(response.json()).toEqual({ authenticated: true, name: 'ada', scopes: ['authenticated', 'admin'], anonymous: false });
  });

  it('makes a request without credentials anonymous: an UnauthenticatedUser with no scopes', async () => {
    expect((await clientWith().get('/whoami')).json()).toEqual({ authenticated: false, name: '', scopes: [], anonymous: true });
  });

  it('answers bad credentials with 400 and the message by default', async () => {
    const response = await clientWith().get('/whoami', { headers: { authorization: 'Bearer forged' } });
    expect([response.status, response.text]).toEqual([400, 'unknown token']);
  });

  it('answers bad credentials with what onError returns, a 401 for an API', async () => {
    const onError: AuthenticationOptions['onError'] = (conn, error) =>
      new JSONResponse({ error: error.message, path: conn.url.path }, { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    const response = await clientWith({ onError }).get('/whoami', { headers: { authorization: 'Bearer forged' } });
    expect([response.status, response.headers.get('www-authenticate'), response.json()]).toEqual([401, 'Bearer', { error: 'unknown token', path: '/whoami' }]);
  });

  it('lets other backend failures be the 500 they are', async () => {
    expect((await clientWith().get('/whoami', { headers: { authorization: 'Bearer crash' } })).status).toBe(500);
  });

  it('refuses a backend that cannot authenticate', () => {
    expect(() => AuthenticationMiddleware(new PlainTextResponse(''), { backend: {} as AuthenticationBackend })).toThrow('AuthenticationMiddleware needs a backend');
  });

  it('authenticates websocket handshakes: the user on the scope, bad credentials refused', async () => {
    let user: unknown;
    const app = AuthenticationMiddleware(
      async (scope, _receive, send) => {
        user = (scope as { user?: unknown }).user;
        await send({ type: 'websocket.accept' });
      },
      { backend: bearer },
    );
    const connect = async (): Promise<{ type: 'websocket.connect' }> => ({ type: 'websocket.connect' });
    await app(websocketScope({ headers: [['authorization', 'Bearer t-ada']] }), connect, async () => undefined);
    expect(user).toEqual(new SimpleUser('ada'));
    const sent: SendEvent[] = [];
    await app(websocketScope({ headers: [['authorization', 'Bearer forged']] }), connect, async (event) => void sent.push(event));
    expect(sent).toEqual([{ type: 'websocket.close', code: 1008 }]);
  });
});
