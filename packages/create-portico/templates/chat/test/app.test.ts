/** The chat room through the TestClient: the page, joining, broadcasting, leaving, a bad name. */
/* eslint-disable @typescript-eslint/no-floating-promises -- node:test awaits every top-level test() itself */
import { deepEqual, equal, match, ok } from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { TestClient, WebSocketDenied } from '@portico/framework';
import { app } from '../app.js';

let client: TestClient;
beforeEach(async () => {
  client = new TestClient(app);
  await client.start(); // runs the lifespan, which makes the rooms
});
afterEach(() => client.close());

test('serves the chat page', async () => {
  const page = await client.get('/');
  equal(page.status, 200);
  match(page.headers.get('content-type') ?? '', /^text\/html/);
});

test('broadcasts to everyone in the room', async () => {
  const ada = await client.websocketConnect('/rooms/lobby?name=ada');
  deepEqual(await ada.receiveJson(), { type: 'joined', who: 'ada', members: 1 });
  const bob = await client.websocketConnect('/rooms/lobby?name=bob');
  deepEqual(await ada.receiveJson(), { type: 'joined', who: 'bob', members: 2 });
  deepEqual(await bob.receiveJson(), { type: 'joined', who: 'bob', members: 2 });

  ada.sendText('hello bob');
  deepEqual(await bob.receiveJson(), { type: 'message', from: 'ada', text: 'hello bob' });
  deepEqual(await ada.receiveJson(), { type: 'message', from: 'ada', text: 'hello bob' });

  await bob.close();
  deepEqual(await ada.receiveJson(), { type: 'left', who: 'bob', members: 1 });
  await ada.close();
});

test('refuses the handshake (403) without a name', async () => {
  const refused: unknown = await client.websocketConnect('/rooms/lobby').catch((error: unknown) => error);
  ok(refused instanceof WebSocketDenied);
  equal(refused.response.status, 403);
});
