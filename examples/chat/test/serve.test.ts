/** What a user runs: `portico serve examples/chat/app.ts`, two browsers' worth of WebSocket clients talking. */
import { expect, it } from '@jest/globals';
import { member } from './support/member';
import { serveChat } from './support/portico';

it('serves the page and lets two WebSocket clients talk through the room, then stops cleanly on SIGTERM', async () => {
  const chat = serveChat();
  try {
    const origin = await chat.origin;
    const page = await fetch(origin);
    expect(await page.text()).toContain('<title>Portico chat</title>');

    const ada = await member(origin, 'ada');
    expect(await ada.next()).toEqual({ type: 'joined', who: 'ada', members: 1 });
    const bob = await member(origin, 'bob');
    expect(await bob.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });
    expect(await ada.next()).toEqual({ type: 'joined', who: 'bob', members: 2 });

    ada.ws.send('hi bob');
    expect(await bob.next()).toEqual({ type: 'message', from: 'ada', text: 'hi bob' });
    bob.ws.send('hi ada');
    expect(await ada.next()).toEqual({ type: 'message', from: 'ada', text: 'hi bob' });
    expect(await ada.next()).toEqual({ type: 'message', from: 'bob', text: 'hi ada' });

    // Shutdown closes the open sockets with 1001 (Going Away) instead of waiting for them.
    const closes = [ada, bob].map(({ ws }) => new Promise<number>((resolve) => ws.once('close', resolve)));
    const exitCode = chat.stop();
    expect(await Promise.all(closes)).toEqual([1001, 1001]);
    expect(await exitCode).toBe(0);
  } finally {
    await chat.stop();
  }
}, 60_000);
