/** The app through the TestClient: no socket, no server. `npm test` runs this file. */
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test awaits every top-level test() itself */
import { deepEqual, equal, match } from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '@portico/framework';
import { app } from '../app.js';

const client = new TestClient(app);

test('GET / says hello', async () => {
  const response = await client.get('/');
  equal(response.status, 200);
  equal(response.text, 'Hello from Portico!\n');
});

test('GET /hello/:name answers in JSON', async () => {
  const response = await client.get('/hello/ada');
  equal(response.status, 200);
  deepEqual(response.json(), { hello: 'ada' });
});

test('the middleware times every response', async () => {
  const response = await client.get('/hello/ada');
  match(response.headers.get('server-timing') ?? '', /^app;dur=\d+\.\d$/);
});

test('an unknown path is a 404', async () => {
  equal((await client.get('/nowhere')).status, 404);
});
