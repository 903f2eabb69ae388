/** The API through the TestClient: no socket, no server. `npm test` runs this file. */
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test awaits every top-level test() itself */
import { deepEqual, equal, match } from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { TestClient } from '@portico/framework';
import { app, TOKEN } from '../app.js';

const auth = { authorization: `Bearer ${TOKEN}` };

let client: TestClient;
beforeEach(async () => {
  client = new TestClient(app);
  await client.start(); // runs the lifespan, which makes the store
});
afterEach(() => client.close());

test('creates, reads, changes and deletes an item', async () => {
  const created = await client.post('/items', { headers: auth, json: { name: '  Pen ', price: 2.5 } });
  equal(created.status, 201);
  deepEqual(created.json(), { id: 1, name: 'Pen', price: 2.5 });

  deepEqual((await client.get('/items/1')).json(), { id: 1, name: 'Pen', price: 2.5 });
  deepEqual((await client.patch('/items/1', { headers: auth, json: { price: 3 } })).json(), { id: 1, name: 'Pen', price: 3 });
  deepEqual((await client.get('/items')).json(), [{ id: 1, name: 'Pen', price: 3 }]);

  equal((await client.delete('/items/1', { headers: auth })).status, 204);
  const gone = await client.get('/items/1');
  deepEqual([gone.status, gone.json()], [404, { detail: 'Item 1 not found' }]);
});

test('answers invalid input with a 422 listing every problem', async () => {
  const response = await client.post('/items', { headers: auth, json: { name: '', price: -1 } });
  equal(response.status, 422);
  const { detail } = response.json() as { detail: { loc: (string | number)[]; type: string }[] };
  deepEqual(detail.map((issue) => issue.loc.join('.')), ['body.name', 'body.price']);
  equal((await client.get('/items?limit=0')).status, 422);
});

test('writes need the bearer token', async () => {
  const anonymous = await client.post('/items', { json: { name: 'Pen', price: 1 } });
  deepEqual([anonymous.status, anonymous.json()], [403, { detail: 'Not authenticated' }]);
  const wrong = await client.post('/items', { headers: { authorization: 'Bearer nope' }, json: { name: 'Pen', price: 1 } });
  equal(wrong.status, 401);
  match(wrong.headers.get('www-authenticate') ?? '', /^Bearer/);
});

test('documents itself: OpenAPI 3.1 and the docs page', async () => {
  const document = (await client.get('/openapi.json')).json() as { openapi: string; components: { schemas: Record<string, unknown> } };
  match(document.openapi, /^3\.1\./);
  deepEqual(Object.keys(document.components.schemas).sort().slice(0, 2), ['HTTPValidationError', 'Item']);
  const docs = await client.get('/docs');
  equal(docs.status, 200);
  match(docs.headers.get('content-type') ?? '', /^text\/html/);
});
