import { describe, expect, it } from '@jest/globals';
import { App, Host, JSONResponse, PlainTextResponse, Route, TestClient } from '@portico/framework';

describe('Host', () => {
  const tenantApp = new App({ routes: [new Route('/', (request) => new JSONResponse(request.pathParams), { name: 'home' })] });
  const app = new App({
    routes: [
      new Host('api.example.com', new App({ routes: [new Route('/', () => new PlainTextResponse('api'))] })),
      new Host(':tenant.example.com', tenantApp, { name: 'tenants' }),
    ],
  });

  it('routes by the Host header, ignoring the port, with parameters from its labels', async () => {
    const client = new TestClient(app);
    expect((await client.get('/', { headers: { host: 'api.example.com:8080' } })).text).toBe('api');
    expect((await client.get('/', { headers: { host: 'Acme.example.com' } })).json()).toEqual({ tenant: 'acme' });
    expect((await client.get('/', { headers: { host: 'example.org' } })).status).toBe(404);
  });

  it('reverses the path of a route of the host app', () => {
    expect(app.urlPathFor('tenants:home', { tenant: 'acme' })).toBe('/');
  });
});
