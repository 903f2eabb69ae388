import { describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { z } from 'zod';
import { Api, DuplicateOperationIdError, HTTPException } from '@portico/api';

const Item = z.object({ id: z.number(), name: z.string(), price: z.number() });
const items = new Map([[1, { id: 1, name: 'Pen', price: 2.5 }]]);

function shop() {
  return new Api({ title: 'Shop', version: '1.0.0' })
    .get('/items', { query: z.object({ limit: z.number().int().min(1).max(100).default(10), tag: z.array(z.string()).default([]), active: z.boolean().optional() }) }, ({ query }) => ({ ...query }))
    .get('/items/:id<int>', { responses: { 200: Item } }, ({ params }) => {
      const item = items.get(params.id);
      if (!item) throw new HTTPException(404, { message: 'Item not found', id: params.id });
      return item;
    })
    .put('/items/:id<int>', { body: Item.omit({ id: true }), responses: { 200: Item } }, ({ params, body }) => ({ id: params.id, ...body }))
    .delete('/items/:id<int>', { status: 204 }, () => undefined)
    .get('/search', { query: z.object({ q: z.string().min(2), limit: z.number().int() }), headers: z.object({ xTrace: z.string() }) }, () => 'never');
}

describe('endpoints', () => {
  it('answers a validated endpoint with its query coerced and defaulted', async () => {
    const client = new TestClient(shop());
    expect((await client.get('/items')).json()).toEqual({ limit: 10, tag: [] });
    expect((await client.get('/items?limit=5&tag=a&tag=b&active=yes')).json()).toEqual({ limit: 5, tag: ['a', 'b'], active: true });
  });

  it('types path parameters from the path and serialises through the response schema', async () => {
    const client = new TestClient(shop());
    const response = await client.get('/items/1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.json()).toEqual({ id: 1, name: 'Pen', price: 2.5 });
  });

  it('reports every issue of every part together, in FastAPI\'s shape', async () => {
    const response = await new TestClient(shop()).get('/search?q=a&limit=ten');
    expect(response.status).toBe(422);
    expect(response.json()).toEqual({
      detail: [
        { loc: ['query', 'q'], msg: 'Too small: expected string to have >=2 characters', type: 'string_too_short', input: 'a', ctx: { ge: 2 } },
        { loc: ['query', 'limit'], msg: 'Invalid input: expected number, received string', type: 'float_parsing', input: 'ten' },
        { loc: ['header', 'xTrace'], msg: 'Field required', type: 'missing' },
      ],
    });
  });

  it('reads headers under their dashed names', async () => {
    const response = await new TestClient(shop()).get('/search?q=ab&limit=1', { headers: { 'x-trace': 't1' } });
    expect(response.json()).toBe('never');
  });

  it('answers HTTPException as JSON { detail } with any JSON value', async () => {
    const response = await new TestClient(shop()).get('/items/9');
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ detail: { message: 'Item not found', id: 9 } });
  });

  it('answers unknown paths with 404 JSON and wrong methods with 405 listing every method', async () => {
    const client = new TestClient(shop());
    const missing = await client.get('/nothing');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ detail: 'Not Found' });
    const wrong = await client.post('/items/1');
    expect(wrong.status).toBe(405);
    expect(wrong.json()).toEqual({ detail: 'Method Not Allowed' });
    expect(wrong.headers.get('allow')).toBe('GET, PUT, DELETE, HEAD');
  });

  it('answers HEAD on GET endpoints without a body', async () => {
    const response = await new TestClient(shop()).head('/items/1');
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('content-length')).toBe(String(JSON.stringify(items.get(1)).length));
  });

  it('sends no body for status 204', async () => {
    const response = await new TestClient(shop()).delete('/items/1');
    expect(response.status).toBe(204);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('content-type')).toBeUndefined();
  });

  it('lists its endpoints with readable operationIds', () => {
    expect(shop().endpoints.map((endpoint) => `${endpoint.method} ${endpoint.path} ${endpoint.operationId}`)).toEqual([
      'GET /items listItems',
      'GET /items/:id<int> getItem',
      'PUT /items/:id<int> replaceItem',
      'DELETE /items/:id<int> deleteItem',
      'GET /search getSearch',
    ]);
  });

  it('falls back to a unique operationId and refuses explicit duplicates', () => {
    const api = new Api().get('/item/:id', {}, () => 1).get('/items/:id', {}, () => 2);
    expect(api.endpoints.map((endpoint) => endpoint.operationId)).toEqual(['getItem', 'getItemsById']);
    expect(() => api.get('/other', { operationId: 'getItem' }, () => 3)).toThrow(DuplicateOperationIdError);
    expect(() => api.get('/other', { operationId: 'getItem' }, () => 3)).toThrow(/already used by GET \/item\/:id \(its default id\)/);
  });

  it('reverses endpoint names and operationIds with urlPathFor', () => {
    const api = new Api().get('/items/:id<int>', {}, () => 1).get('/me', { name: 'profile' }, () => 2);
    expect(api.urlPathFor('getItem', { id: 7 })).toBe('/items/7');
    expect(api.urlPathFor('profile')).toBe('/me');
  });
});

describe('configuration mistakes', () => {
  it('throws TypeErrors saying what was given and what is accepted', () => {
    const api = new Api();
    // @ts-expect-error a path without a leading slash
    expect(() => api.get('items', {}, () => 1)).toThrow("GET items: paths start with '/', got string \"items\"");
    // @ts-expect-error the handler must be a function
    expect(() => api.get('/a', {}, 'nope')).toThrow('the handler (third argument) must be a function');
    // @ts-expect-error query takes a zod object
    expect(() => api.get('/b', { query: { limit: 'number' } }, () => 1)).toThrow('query takes a z.object({...}) schema');
    // @ts-expect-error unknown option
    expect(() => api.get('/c', { qeury: z.object({}) }, () => 1)).toThrow("unknown option 'qeury'");
    // @ts-expect-error a body that is not a schema
    expect(() => api.post('/d', { body: 'json' }, () => 1)).toThrow('body takes a zod schema (JSON) or json(), form(), multipart(), bytes(); got string "json"');
    expect(() => new Api({ docsUrl: 'docs' })).toThrow("takes a path starting with '/' or null");
  });

  it('refuses endpoints added after it started serving', async () => {
    const api = new Api().get('/', {}, () => 'home');
    await new TestClient(api).get('/');
    expect(() => api.get('/late', {}, () => 1)).toThrow(/after the Api started serving/);
  });
});
