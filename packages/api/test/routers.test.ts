import { describe, expect, it } from '@jest/globals';
import { JSONResponse, PlainTextResponse, TestClient } from '@portico/framework';
import { z } from 'zod';
import { Api, APIKeyHeader, ApiRouter, depends } from '@portico/api';

const NotFound = z.object({ detail: z.string() });

describe('ApiRouter', () => {
  it('prefixes paths, adds tags, responses and dependencies, and nests', async () => {
    const seen: string[] = [];
    const audit = depends(({ request }) => void seen.push(`audit ${request.url.path}`));
    const apiKey = new APIKeyHeader({ name: 'x-key' });
    const orders = new ApiRouter({ prefix: '/orders', tags: ['orders'] })
      .get('/', {}, () => ['o1'])
      .get('/:orderId<int>', { tags: ['detail'] }, ({ params }) => ({ orderId: params.orderId }));
    const users = new ApiRouter({ prefix: '/users/:userId<int>', tags: ['users'], dependencies: { audit }, responses: { 404: NotFound } })
      .get('/', {}, ({ params }) => ({ userId: params.userId }))
      .include(orders);
    const api = new Api({ dependencies: { apiKey } }).include(new ApiRouter({ prefix: '/v1' }).include(users));

    expect(api.endpoints.map((endpoint) => [endpoint.method, endpoint.path, endpoint.operationId, endpoint.tags.join(',')])).toEqual([
      ['GET', '/v1/users/:userId<int>/', 'getUser', 'users'],
      ['GET', '/v1/users/:userId<int>/orders/', 'listUserOrders', 'users,orders'],
      ['GET', '/v1/users/:userId<int>/orders/:orderId<int>', 'getUserOrder', 'users,orders,detail'],
    ]);
    expect(Object.keys(api.endpoints[2]!.responses)).toEqual(['404']);
    expect(Object.keys(api.endpoints[2]!.dependencies)).toEqual(['apiKey', 'audit']);

    const client = new TestClient(api);
    expect((await client.get('/v1/users/7/orders/3')).status).toBe(403);
    const response = await client.get('/v1/users/7/orders/3', { headers: { 'x-key': 'k' } });
    expect(response.json()).toEqual({ orderId: 3 });
    expect(seen).toEqual(['audit /v1/users/7/orders/3']);
    expect((await client.get('/v1/users/7/', { headers: { 'x-key': 'k' } })).json()).toEqual({ userId: 7 });
  });

  it('keeps the Api a framework App: middleware, mounts, plain routes and exception handlers', async () => {
    const inner = new Api().get('/ping', {}, () => 'pong');
    const api = new Api({ exceptionHandlers: { 404: () => new JSONResponse({ custom: true }, { status: 404 }) } })
      .get('/', {}, () => 'home')
      .use(async (_request, next) => {
        const response = await next();
        response.headers.set('x-mw', '1');
        return response;
      })
      .mount('/inner', inner)
      .route('/plain', () => new PlainTextResponse('plain'));
    const client = new TestClient(api);
    const home = await client.get('/');
    expect(home.headers.get('x-mw')).toBe('1');
    expect((await client.get('/inner/ping')).json()).toBe('pong');
    expect((await client.get('/plain')).text).toBe('plain');
    expect((await client.get('/missing')).json()).toEqual({ custom: true });
  });

  it('refuses a bad prefix', () => {
    expect(() => new ApiRouter({ prefix: 'items/' })).toThrow("ApiRouter prefix takes '' or a path starting with '/' and not ending with '/' (e.g. '/items'), got string \"items/\"");
  });
});
