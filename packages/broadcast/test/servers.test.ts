/**
 * Two Portico servers (the real `Server`, each with its own Broadcast, as two processes would
 * have) sharing a redis-server: WebSocket clients on each, the lifespan connecting and
 * disconnecting, and no subscriber left behind once the sockets close.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort, withSystemPrograms } from '@portico/protocol/testing';
import { LifespanStartupError, Server } from '@portico/server';
import { REDIS_SERVER, useRedis } from './support/redis';
import { relayApp, type RelayApp } from './support/relay-app';
import { connectClient, type QueuedClient } from './support/ws-client';

const started: Server[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function serve(relay: RelayApp): Promise<string> {
  const server = new Server(relay.app, { port: 0, logLevel: 'critical' });
  started.push(server);
  await server.start();
  return server.url;
}

/** Joins a channel and waits for the app's `ready`: from then on, what anyone publishes reaches it. */
async function join(origin: string, channel: string): Promise<QueuedClient> {
  const client = await connectClient(`${origin}/channels/${channel}`);
  expect(await client.next()).toBe('ready');
  return client;
}

withSystemPrograms([REDIS_SERVER], () => {
  describe('two Portico servers sharing Redis', () => {
    const redis = useRedis();

    it('carries messages between WebSocket clients on both servers, both ways, in order per publisher', async () => {
      const [one, two] = [relayApp(redis().url), relayApp(redis().url)];
      const [originOne, originTwo] = await Promise.all([serve(one), serve(two)]);
      const ada = await join(originOne, 'lobby');
      const bob = await join(originTwo, 'lobby');
      const cy = await join(originOne, 'lobby');
      const elsewhere = await join(originTwo, 'kitchen');

      const said = (who: string): string[] => Array.from({ length: 20 }, (_, i) => `${who} ${i}`);
      for (const [client, who] of [[ada, 'ada'], [bob, 'bob']] as const) for (const text of said(who)) client.ws.send(text);
      for (const client of [ada, bob, cy]) {
        const received = await client.take(40);
        expect(received.filter((text) => text.startsWith('ada'))).toEqual(said('ada'));
        expect(received.filter((text) => text.startsWith('bob'))).toEqual(said('bob'));
      }
      elsewhere.ws.send('only the kitchen');
      expect(await elsewhere.next()).toBe('only the kitchen');

      // Every socket closes, one by vanishing (no close frame): every subscription ends with it.
      expect([one.broadcast().subscriberCount(), two.broadcast().subscriberCount()]).toEqual([2, 2]);
      ada.ws.close();
      bob.ws.close();
      cy.ws.terminate();
      elsewhere.ws.close();
      await Promise.all([ada, bob, cy, elsewhere].map((client) => client.closed));
      await Promise.all([one.handlersDone(), two.handlersDone()]);
      expect([one.broadcast().subscriberCount(), two.broadcast().subscriberCount()]).toEqual([0, 0]);
    });

    it('connects at lifespan startup and disconnects at shutdown', async () => {
      const relay = relayApp(redis().url);
      const server = new Server(relay.app, { port: 0, logLevel: 'critical' });
      await server.start();
      const broadcast = relay.broadcast();
      expect(broadcast.connected).toBe(true);
      const client = await join(server.url, 'lobby');
      // Shutdown closes the socket (1001) before the lifespan disconnects the Broadcast.
      await server.close();
      expect(await client.closed).toBe(1001);
      expect(broadcast.connected).toBe(false);
      expect(broadcast.subscriberCount()).toBe(0);
    });

    it('refuses to start when Redis is unreachable, with the reason in the startup error', async () => {
      const url = `redis://127.0.0.1:${await freePort()}/0`;
      const server = new Server(relayApp(url).app, { port: 0, logLevel: 'critical' });
      const failure = server.start();
      await expect(failure).rejects.toThrow(LifespanStartupError);
      await expect(failure).rejects.toThrow(`RedisConnectionError: Broadcast could not connect to Redis at ${url}`);
    });
  });
});

describe('one Portico server on memory://', () => {
  it('needs no Redis', async () => {
    const relay = relayApp('memory://');
    const origin = await serve(relay);
    const [ada, bob] = [await join(origin, 'lobby'), await join(origin, 'lobby')];
    ada.ws.send('hello');
    expect([await ada.next(), await bob.next()]).toEqual(['hello', 'hello']);
    expect(relay.broadcast().url).toBe('memory://');
  });
});
