import { describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { Server } from '@portico/server';
import { testClientFetch } from '@portico/api';
import { createClient } from '@portico/api/client';
import { shopApi, type ShopApi } from './support/shop-api';

function inMemory() {
  return createClient<ShopApi>('http://testserver', { fetch: testClientFetch(new TestClient(shopApi())) });
}

describe('the typed client', () => {
  it('calls endpoints with params, query, headers and body, and narrows data by status', async () => {
    const client = inMemory();
    const one = await client.get('/items/:id<int>', { params: { id: 1 } });
    expect(one.status).toBe(200);
    if (one.status === 200) expect(one.data.name).toBe('Pen');
    const missing = await client.get('/items/:id<int>', { params: { id: 99 } });
    expect(missing).toMatchObject({ status: 404, data: { detail: 'Item not found' } });

    const created = await client.post('/items', { body: { name: 'Ink', price: 4 }, headers: { xRequestId: 'r1' } });
    expect(created.status).toBe(201);
    if (created.status === 201) expect(created.data).toEqual({ id: 2, name: 'Ink', price: 4, tags: [] });

    const list = await client.get('/items', { query: { tag: ['office'], limit: 5 } });
    expect(list.status === 200 && list.data.map((item) => item.name)).toEqual(['Pen']);

    const deleted = await client.delete('/items/:id<int>', { params: { id: 2 } });
    expect(deleted).toMatchObject({ status: 204, data: undefined });
  });

  it('returns validation errors as data with their status', async () => {
    const invalid = await inMemory().post('/items', { body: { name: 'x', price: 'free' as unknown as number } });
    expect(invalid.status).toBe(422);
    expect(invalid.data).toEqual({ detail: [{ loc: ['body', 'price'], msg: 'Invalid input: expected number, received string', type: 'float_parsing', input: 'free' }] });
  });

  it('sends forms, multipart bodies, wildcard paths and router endpoints', async () => {
    const client = inMemory();
    const login = await client.post('/login', { form: { username: 'ada', password: 'pw' } });
    expect(login.data).toEqual({ user: 'ada' });
    const data = new FormData();
    data.append('file', new Blob(['12345']), 'five.txt');
    expect((await client.post('/upload', { body: data })).data).toEqual({ size: 5 });
    expect((await client.get('/files/*rest', { params: { rest: 'a b/c.txt' } })).data).toBe('a b/c.txt');
    const greeting = await client.get('/users/:name', { params: { name: 'Ada' }, query: { greeting: 'hi' } });
    expect(greeting.status === 200 && greeting.data.message).toBe('hi, Ada');
  });

  it('works over the network with the global fetch', async () => {
    const server = new Server(shopApi(), { port: 0, logLevel: 'warning' });
    await server.start();
    try {
      const client = createClient<ShopApi>(server.url);
      const result = await client.get('/items/:id<int>', { params: { id: 1 } });
      expect(result.status).toBe(200);
      expect(result.response.headers.get('content-type')).toBe('application/json');
      if (result.status === 200) expect(result.data.price).toBe(2.5);
    } finally {
      await server.close();
    }
  });
});
