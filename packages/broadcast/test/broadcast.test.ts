/** The Broadcast API on memory:// (no server needed): delivery, order, ending, counting, misuse. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Broadcast, BroadcastUrlError, NotConnectedError, SlowSubscriberError, type Subscription } from '@portico/broadcast';

const opened: Broadcast[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((broadcast) => broadcast.disconnect()));
});

async function connected(url?: string): Promise<Broadcast> {
  const broadcast = new Broadcast(url);
  opened.push(broadcast);
  await broadcast.connect();
  return broadcast;
}

/** The next `count` messages of a subscription. */
async function take(subscription: Subscription, count: number): Promise<string[]> {
  const messages: string[] = [];
  for await (const message of subscription) {
    messages.push(message);
    if (messages.length === count) break;
  }
  return messages;
}

describe('Broadcast on memory://', () => {
  it('is the default, and delivers to every subscriber of the channel in publish order', async () => {
    const broadcast = await connected();
    expect(broadcast.url).toBe('memory://');
    const [a, b, other] = [broadcast.subscribe('room'), broadcast.subscribe('room'), broadcast.subscribe('elsewhere')];
    await Promise.all([a.ready, b.ready, other.ready]);
    for (const text of ['one', 'two', 'three']) await broadcast.publish('room', text);
    expect(await take(a, 3)).toEqual(['one', 'two', 'three']);
    expect(await take(b, 3)).toEqual(['one', 'two', 'three']);
    await broadcast.publish('elsewhere', 'four');
    expect(await take(other, 1)).toEqual(['four']);
  });

  it('does not deliver what was published before the subscription', async () => {
    const broadcast = await connected();
    await broadcast.publish('room', 'early');
    const subscription = broadcast.subscribe('room');
    await broadcast.publish('room', 'late');
    expect(await take(subscription, 1)).toEqual(['late']);
  });

  it('counts subscribers until their loop breaks, they are closed, their signal aborts or the Broadcast disconnects', async () => {
    const broadcast = await connected();
    const looped = broadcast.subscribe('room');
    const closed = broadcast.subscribe('room');
    const aborted = new AbortController();
    const signalled = broadcast.subscribe('other', { signal: aborted.signal });
    expect([broadcast.subscriberCount(), broadcast.subscriberCount('room'), broadcast.subscriberCount('other')]).toEqual([3, 2, 1]);

    await broadcast.publish('room', 'hi');
    await take(looped, 1);
    expect(looped.active).toBe(false);
    expect(broadcast.subscriberCount('room')).toBe(1);

    expect(await closed.next()).toEqual({ value: 'hi', done: false });
    const pending = closed.next();
    closed.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    aborted.abort();
    expect(await signalled.next()).toEqual({ value: undefined, done: true });
    expect(broadcast.subscriberCount()).toBe(0);

    const last = broadcast.subscribe('room');
    const ended = last.next();
    await broadcast.disconnect();
    expect(await ended).toEqual({ value: undefined, done: true });
    expect(broadcast.subscriberCount()).toBe(0);
  });

  it('ends with an `await using` block', async () => {
    const broadcast = await connected();
    {
      await using subscription = broadcast.subscribe('room');
      await subscription.ready;
      expect(broadcast.subscriberCount()).toBe(1);
    }
    expect(broadcast.subscriberCount()).toBe(0);
  });

  it('drops a subscriber that stops reading once its buffer is full, with SlowSubscriberError', async () => {
    const broadcast = await connected();
    const slow = broadcast.subscribe('room', { bufferSize: 2 });
    for (const text of ['1', '2', '3']) await broadcast.publish('room', text);
    expect(broadcast.subscriberCount()).toBe(0);
    await expect(slow.next()).rejects.toThrow(SlowSubscriberError);
    await expect(slow.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('refuses to publish or subscribe before connect() and after disconnect(), saying what to do', async () => {
    const broadcast = new Broadcast('memory://');
    await expect(broadcast.publish('room', 'x')).rejects.toThrow(new NotConnectedError("broadcast.publish() on a Broadcast that is not connected (memory://): await broadcast.connect() first, in the app's lifespan startup"));
    expect(() => broadcast.subscribe('room')).toThrow(NotConnectedError);
    await broadcast.connect();
    await broadcast.disconnect();
    expect(() => broadcast.subscribe('room')).toThrow('not connected (memory://): it was disconnected');
    await broadcast.connect();
    await broadcast.publish('room', 'connected again');
    await broadcast.disconnect();
  });

  it('takes strings only, since a message crosses processes as text', async () => {
    const broadcast = await connected();
    await expect(broadcast.publish('room', { text: 'hi' } as unknown as string)).rejects.toThrow('broadcast.publish(channel, message) takes two strings (send JSON.stringify(value) for anything else), got string and object');
    expect(() => broadcast.subscribe('room', { bufferSize: 0 })).toThrow('broadcast.subscribe(channel, { bufferSize }) takes a positive integer, got 0');
  });
});

describe('new Broadcast(url)', () => {
  it.each([
    ['http://127.0.0.1:6379', "new Broadcast(url) takes memory:// or redis://host:port/db (rediss:// for TLS), got 'http://127.0.0.1:6379'"],
    ['localhost:6379', "new Broadcast(url) takes memory:// or redis://host:port/db (rediss:// for TLS), got 'localhost:6379'"],
    ['redis://', "new Broadcast(url) needs a host in 'redis://': redis://127.0.0.1:6379/0"],
    ['redis://127.0.0.1:6379/cache', "new Broadcast(url): the path of 'redis://127.0.0.1:6379/cache' is a database number (redis://host:port/0), got '/cache'"],
    ['redis://:hunter2@127.0.0.1:6379/x', "new Broadcast(url): the path of 'redis://:***@127.0.0.1:6379/x' is a database number (redis://host:port/0), got '/x'"],
    ['memory://somewhere', "new Broadcast(url): memory:// takes no host or path, got 'memory://somewhere'"],
    ['', 'new Broadcast(url) takes memory:// or redis://host:port/db (rediss:// for TLS), got \'\''],
  ])('refuses %j with BroadcastUrlError, never showing a password', (url, message) => {
    expect(() => new Broadcast(url)).toThrow(BroadcastUrlError);
    expect(() => new Broadcast(url)).toThrow(new BroadcastUrlError(message));
  });

  it('accepts redis:// and rediss:// URLs without connecting, and shows them without the password', () => {
    expect(new Broadcast('redis://:hunter2@cache.internal:6380/2').url).toBe('redis://:***@cache.internal:6380/2');
    expect(new Broadcast('rediss://cache.internal').url).toBe('rediss://cache.internal');
  });
});
