import { describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { Api, APIKeyCookie, APIKeyHeader, APIKeyQuery, form, HTTPBasic, HTTPBearer, OAuth2PasswordBearer, OAuth2PasswordRequestForm } from '@portico/api';

const bearer = new HTTPBearer();
const optionalBearer = new HTTPBearer({ autoError: false });
const basic = new HTTPBasic({ realm: 'admin' });
const headerKey = new APIKeyHeader({ name: 'x-api-key' });
const queryKey = new APIKeyQuery({ name: 'api_key' });
const cookieKey = new APIKeyCookie({ name: 'session' });
const optionalKey = new APIKeyHeader({ name: 'x-api-key', autoError: false });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: '/token' });

const api = new Api()
  .get('/bearer', { dependencies: { auth: bearer } }, ({ deps }) => deps.auth)
  .get('/maybe', { dependencies: { auth: optionalBearer } }, ({ deps }) => ({ token: deps.auth?.credentials ?? null }))
  .get('/basic', { dependencies: { who: basic } }, ({ deps }) => deps.who)
  .get('/header-key', { dependencies: { key: headerKey } }, ({ deps }) => deps.key)
  .get('/query-key', { dependencies: { key: queryKey } }, ({ deps }) => deps.key)
  .get('/cookie-key', { dependencies: { key: cookieKey } }, ({ deps }) => deps.key)
  .get('/maybe-key', { dependencies: { key: optionalKey } }, ({ deps }) => deps.key ?? 'anonymous')
  .post('/token', { body: form(OAuth2PasswordRequestForm) }, ({ body }) => ({ access_token: `token-of-${body.username}`, token_type: 'bearer', scope: body.scope }))
  .get('/me', { dependencies: { token: oauth2 } }, ({ deps }) => deps.token);

const client = new TestClient(api);

describe('security schemes', () => {
  it('HTTPBearer resolves { scheme, credentials }; missing or another scheme is 403 with WWW-Authenticate: Bearer', async () => {
    expect((await client.get('/bearer', { headers: { authorization: 'Bearer abc' } })).json()).toEqual({ scheme: 'Bearer', credentials: 'abc' });
    for (const headers of [{}, { authorization: 'Basic abc' }]) {
      const response = await client.get('/bearer', { headers });
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ detail: 'Not authenticated' });
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('resolves undefined with autoError: false', async () => {
    expect((await client.get('/maybe')).json()).toEqual({ token: null });
    expect((await client.get('/maybe', { headers: { authorization: 'Bearer t' } })).json()).toEqual({ token: 't' });
    expect((await client.get('/maybe-key')).json()).toBe('anonymous');
  });

  it('HTTPBasic resolves { username, password }; missing or malformed is 401 with a Basic challenge', async () => {
    const good = `Basic ${Buffer.from('ada:se:cret').toString('base64')}`;
    expect((await client.get('/basic', { headers: { authorization: good } })).json()).toEqual({ username: 'ada', password: 'se:cret' });
    const missing = await client.get('/basic');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="admin"');
    expect(missing.json()).toEqual({ detail: 'Not authenticated' });
    const malformed = await client.get('/basic', { headers: { authorization: 'Basic !!!' } });
    expect(malformed.status).toBe(401);
    expect(malformed.json()).toEqual({ detail: 'Invalid authentication credentials' });
  });

  it('API keys in a header, the query and a cookie resolve to the key; missing is 403', async () => {
    expect((await client.get('/header-key', { headers: { 'x-api-key': 'k1' } })).json()).toBe('k1');
    expect((await client.get('/query-key?api_key=k2')).json()).toBe('k2');
    expect((await client.get('/cookie-key', { cookies: { session: 'k3' } })).json()).toBe('k3');
    for (const path of ['/header-key', '/query-key', '/cookie-key']) {
      const response = await client.get(path);
      expect(response.status).toBe(403);
      expect(response.json()).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('OAuth2PasswordBearer takes the token the form endpoint issued; missing is 401 with WWW-Authenticate: Bearer', async () => {
    const token = await client.post('/token', { form: { username: 'ada', password: 'pw', grant_type: 'password' } });
    expect(token.json()).toEqual({ access_token: 'token-of-ada', token_type: 'bearer', scope: '' });
    expect((await client.get('/me', { headers: { authorization: 'Bearer token-of-ada' } })).json()).toBe('token-of-ada');
    const missing = await client.get('/me');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('carries the requirement the OpenAPI document lists', () => {
    const byPath = new Map(api.endpoints.map((endpoint) => [endpoint.path, endpoint]));
    expect(byPath.get('/me')!.dependencies['token']!.security).toEqual({
      name: 'OAuth2PasswordBearer',
      scheme: { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: {} } } },
      scopes: [],
    });
    expect(byPath.get('/header-key')!.dependencies['key']!.security?.scheme).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(byPath.get('/basic')!.dependencies['who']!.security?.scheme).toEqual({ type: 'http', scheme: 'basic' });
  });

  it('can be overridden in tests by the scheme itself', async () => {
    const local = new Api().get('/bearer', { dependencies: { auth: bearer } }, ({ deps }) => deps.auth.credentials);
    local.dependencyOverrides.set(bearer, () => ({ scheme: 'Bearer', credentials: 'fake' }));
    expect((await new TestClient(local).get('/bearer')).json()).toBe('fake');
  });
});
