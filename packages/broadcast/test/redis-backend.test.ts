/**
 * Broadcast over a real redis-server on loopback: two Broadcasts stand for two processes (each has
 * its own connections). Delivery and order, Redis killed and restarted, unreachable at startup.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort, withSystemPrograms } from '@portico/protocol/testing';
import { Broadcast, RedisConnectionError, RedisUnavailableError, type BroadcastOptions, type Subscription } from '@portico/broadcast';
import { deferred } from './support/deferred';
import { REDIS_SERVER, useInspector, useRedis } from './support/redis';

/** The next `count` messages of a subscription, without ending it. */
async function next(subscription: Subscription, count: number): Promise<string[]> {
  const messages: string[] = [];
  while (messages.length < count) {
    const result = await subscription.next();
    if (result.done) throw new Error(`the subscription to ${subscription.channel} ended after ${messages.join(', ')}`);
    messages.push(result.value);
  }
  return messages;
}

withSystemPrograms([REDIS_SERVER], () => {
  describe('Broadcast on redis://', () => {
    const redis = useRedis();
    const inspector = useInspector(redis);

    const opened: Broadcast[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((broadcast) => broadcast.disconnect()));
    });

    async function openBroadcast(options: BroadcastOptions = {}): Promise<Broadcast> {
      const broadcast = new Broadcast(redis().url, options);
      opened.push(broadcast);
      await broadcast.connect();
      return broadcast;
    }

    async function numsub(channel: string): Promise<number> {
      const [entry] = Object.values(await inspector().pubSubNumSub(channel));
      return Number(entry ?? 0);
    }

    it('carries messages between two processes both ways, in order per publisher', async () => {
      const [a, b] = await Promise.all([openBroadcast(), openBroadcast()]);
      const onA = a.subscribe('room');
      const onB = b.subscribe('room');
      await Promise.all([onA.ready, onB.ready]);
      const fromA = Array.from({ length: 50 }, (_, i) => `a${i}`);
      const fromB = Array.from({ length: 50 }, (_, i) => `b${i}`);
      // Both publish at once: each side's own messages stay in its order, whatever the interleaving.
      await Promise.all([Promise.all(fromA.map((text) => a.publish('room', text))), Promise.all(fromB.map((text) => b.publish('room', text)))]);
      for (const received of [await next(onA, 100), await next(onB, 100)]) {
        expect(received.filter((text) => text.startsWith('a'))).toEqual(fromA);
        expect(received.filter((text) => text.startsWith('b'))).toEqual(fromB);
      }
    });

    it('subscribes each channel once per process and unsubscribes it in Redis when the last subscriber leaves', async () => {
      const broadcast = await openBroadcast();
      const first = broadcast.subscribe('lobby');
      const second = broadcast.subscribe('lobby');
      await Promise.all([first.ready, second.ready]);
      expect(await numsub('lobby')).toBe(1);
      first.close();
      expect(await numsub('lobby')).toBe(1);
      second.close();
      expect(broadcast.subscriberCount()).toBe(0);
      // UNSUBSCRIBE is on its way on the subscriber connection; a quick rejoin must still end subscribed.
      const again = broadcast.subscribe('lobby');
      await again.ready;
      await broadcast.publish('lobby', 'still here');
      expect(await next(again, 1)).toEqual(['still here']);
      again.close();
      await broadcast.disconnect();
      expect(await numsub('lobby')).toBe(0);
    });

    it('survives a Redis restart: publishing rejects during the outage and subscribers resume after it', async () => {
      const events: string[] = [];
      const down = [deferred(), deferred()];
      const up = [deferred(), deferred()];
      const watched = (i: number): BroadcastOptions => ({
        onDisconnect: () => (events.push(`down ${i}`), down[i]!.resolve()),
        onReconnect: () => (events.push(`up ${i}`), up[i]!.resolve()),
      });
      const [a, b] = await Promise.all([openBroadcast(watched(0)), openBroadcast(watched(1))]);
      const onA = a.subscribe('room');
      const onB = b.subscribe('room');
      await Promise.all([onA.ready, onB.ready]);
      await a.publish('room', 'before');
      expect([await next(onA, 1), await next(onB, 1)]).toEqual([['before'], ['before']]);

      await redis().kill();
      await Promise.all(down.map((event) => event.promise));
      const during = a.publish('room', 'during');
      await expect(during).rejects.toThrow(RedisUnavailableError);
      // "is unreachable (reconnecting)", or "the connection ... was lost" if this connection had not noticed yet.
      await expect(during).rejects.toThrow(/^publishing to 'room' failed: .*Redis at redis:\/\/127\.0\.0\.1:\d+\/0 (is unreachable|was lost)/);
      await expect(b.subscribe('new room').ready).rejects.toThrow(RedisUnavailableError);
      expect(b.subscriberCount('new room')).toBe(0);

      await redis().start();
      await Promise.all(up.map((event) => event.promise));
      expect(events.sort()).toEqual(['down 0', 'down 1', 'up 0', 'up 1']);
      // The same subscriptions, still open, get what is published after the restart, from either side.
      await b.publish('room', 'after from b');
      await a.publish('room', 'after from a');
      expect(await next(onA, 2)).toEqual(['after from b', 'after from a']);
      expect(await next(onB, 2)).toEqual(['after from b', 'after from a']);
    });

    it('fails connect() with RedisConnectionError when nothing listens at the URL', async () => {
      const url = `redis://127.0.0.1:${await freePort()}/0`;
      const broadcast = new Broadcast(url);
      const failure = broadcast.connect();
      await expect(failure).rejects.toThrow(RedisConnectionError);
      await expect(failure).rejects.toThrow(new RegExp(`^Broadcast could not connect to Redis at ${url} \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+\\) after 3 attempts: is redis-server running there, and is the URL right\\?$`));
      expect(broadcast.connected).toBe(false);
    });
  });
});
