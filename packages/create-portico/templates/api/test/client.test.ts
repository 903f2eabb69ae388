/** The typed client against the app in memory: paths, bodies and answers are checked by TypeScript. */
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test awaits every top-level test() itself */
import { deepEqual, ok } from 'node:assert/strict';
import { test } from 'node:test';
import { testClientFetch } from '@portico/api';
import { createClient } from '@portico/api/client';
import { TestClient } from '@portico/framework';
import { app, TOKEN } from '../app.js';

test('the typed client creates and reads an item', async () => {
  const testClient = new TestClient(app);
  await testClient.start();
  try {
    const client = createClient<typeof app>('http://testserver', { fetch: testClientFetch(testClient), headers: { authorization: `Bearer ${TOKEN}` } });
    const created = await client.post('/items', { body: { name: 'Pen', price: 2.5 } });
    ok(created.status === 201, `expected 201, got ${created.status}`); // narrows: created.data is an Item
    const found = await client.get('/items/:id<int>', { params: { id: created.data.id } });
    ok(found.status === 200);
    deepEqual(found.data, { id: created.data.id, name: 'Pen', price: 2.5 });
    const missing = await client.get('/items/:id<int>', { params: { id: 99 } });
    deepEqual([missing.status, missing.data], [404, { detail: 'Item 99 not found' }]);
  } finally {
    await testClient.close();
  }
});
