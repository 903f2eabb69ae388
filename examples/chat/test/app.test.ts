/** The chat room through the TestClient: the page, joining, broadcasting, leaving, a bad name. */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { TestClient, WebSocketDenied, type WebSocketTestSession } from '@portico/framework';
import { app } from '../app';

let client: TestClient;
beforeEach(async () => {
  client = new TestClient(app);
  await client.start();
});
afterEach(() => client.close());

it('serves the chat page', async () => {
  const page = await client.get('/');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.text).toContain('<title>Portico chat</title>');
});

it('broadcasts to everyone in the room, and only in that room', async () => {
  const ada = await client.websocketConnect('/rooms/lobby?name=ada');
  expect(await ada.receiveJson()).toEqual({ type: 'joined', who: 'ada', members: 1 });
  const bob = await client.websocketConnect('/rooms/lobby?name=bob');
  const elsewhere = await client.websocketConnect('/rooms/kitchen?name=cy');
  expect(await ada.receiveJson()).toEqual({ type: 'joined', who: 'bob', members: 2 });
  expect(await bob.receiveJson()).toEqual({ type: 'joined', who: 'bob', members: 2 });
  expect(await elsewhere.receiveJson()).toEqual({ type: 'joined', who: 'cy', members: 1 });

  ada.sendText('hello bob');
  const message = { type: 'message', from: 'ada', text: 'hello bob' };
  expect(await bob.receiveJson()).toEqual(message);
  expect(await ada.receiveJson()).toEqual(message);

  await bob.close();
  expect(await ada.receiveJson()).toEqual({ type: 'left', who: 'bob', members: 1 });
  await Promise.all([ada, elsewhere].map((session: WebSocketTestSession) => session.close()));
});

it('refuses the handshake (403) when the name is missing', async () => {
  const nameless = await client.websocketConnect('/rooms/lobby').catch((error: unknown) => error);
  expect(nameless).toBeInstanceOf(WebSocketDenied);
  expect((nameless as WebSocketDenied).response.status).toBe(403);
});
