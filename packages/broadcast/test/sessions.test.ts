/**
 * RedisSessionStore behind the framework's SessionMiddleware, on two real Portico servers sharing
 * a redis-server: the cookie holds a signed id only, the data and its expiry live in Redis.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { App, JSONResponse, Middleware, PlainTextResponse, Route, SessionMiddleware, type SessionStore } from '@portico/framework';
import { freePort, withSystemPrograms } from '@portico/protocol/testing';
import { Server } from '@portico/server';
import { BroadcastUrlError, RedisConnectionError } from '@portico/broadcast';
import { RedisSessionStore } from '@portico/broadcast/sessions';
import { deferred } from './support/deferred';
import { REDIS_SERVER, useInspector, useRedis } from './support/redis';

const MAX_AGE = 3600;

/** An app that signs in, shows and ends the session, on a store it connects in its lifespan. */
function sessionApp(store: RedisSessionStore, maxAge: number | null = MAX_AGE): App {
  return new App({
    routes: [
      new Route('/login', (request) => ((request.session['user'] = 'ada'), new PlainTextResponse('in')), { methods: ['POST'] }),
      new Route('/me', (request) => new JSONResponse(request.session)),
      new Route('/logout', (request) => (delete request.session['user'], new PlainTextResponse('out')), { methods: ['POST'] }),
    ],
    middleware: [new Middleware(SessionMiddleware, { secretKey: 'a long random key', maxAge, store })],
    lifespan: async () => {
      await store.connect();
      return { cleanup: () => store.disconnect() };
    },
  });
}

const running: Server[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function serve(app: App): Promise<Server> {
  const server = new Server(app, { port: 0, logLevel: 'critical' });
  running.push(server);
  await server.start();
  return server;
}

/** The `session=` value of a response, or null when it sets none. */
function sessionCookie(response: Response): string | null {
  return /^session=([^;]*)/.exec(response.headers.get('set-cookie') ?? '')?.[1] ?? null;
}

const me = (server: Server, cookie: string): Promise<unknown> => fetch(`${server.url}/me`, { headers: { cookie: `session=${cookie}` } }).then((response) => response.json());

withSystemPrograms([REDIS_SERVER], () => {
  describe('RedisSessionStore', () => {
    const redis = useRedis();
    const inspector = useInspector(redis);

    it('keeps only a signed id in the cookie and the session in Redis, read by another server and after a restart', async () => {
      const first = await serve(sessionApp(new RedisSessionStore(redis().url)));
      const second = await serve(sessionApp(new RedisSessionStore(redis().url)));

      const cookie = sessionCookie(await fetch(`${first.url}/login`, { method: 'POST' }))!;
      const [id, issued, signature] = cookie.split('.');
      expect([id?.length, issued, signature?.length]).toEqual([32, expect.stringMatching(/^[0-9a-z]+$/), 43]);
      expect(await inspector().get(`session:${id}`)).toBe('{"user":"ada"}');
      const ttl = await inspector().ttl(`session:${id}`);
      expect(ttl).toBeGreaterThan(MAX_AGE - 10);
      expect(ttl).toBeLessThanOrEqual(MAX_AGE);

      expect(await me(second, cookie)).toEqual({ user: 'ada' });
      await first.close();
      const restarted = await serve(sessionApp(new RedisSessionStore(redis().url)));
      expect(await me(restarted, cookie)).toEqual({ user: 'ada' });

      // A logout on one server ends the session everywhere, even for a client that kept the cookie.
      const logout = await fetch(`${second.url}/logout`, { method: 'POST', headers: { cookie: `session=${cookie}` } });
      expect(sessionCookie(logout)).toBe('');
      expect(await inspector().exists(`session:${id}`)).toBe(0);
      expect(await me(restarted, cookie)).toEqual({});
    });

    it('gives a browser session (maxAge null) the store\'s browserSessionTtl in Redis, under its prefix', async () => {
      const server = await serve(sessionApp(new RedisSessionStore(redis().url, { prefix: 'shop:', browserSessionTtl: 600 }), null));
      const [id] = sessionCookie(await fetch(`${server.url}/login`, { method: 'POST' }))!.split('.');
      const ttl = await inspector().ttl(`shop:${id}`);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
    });

    it('answers 500 while Redis is down instead of treating the visitor as signed out, and recovers', async () => {
      const [down, up] = [deferred(), deferred()];
      const store = new RedisSessionStore(redis().url, { onDisconnect: () => down.resolve(), onReconnect: () => up.resolve() });
      const server = await serve(sessionApp(store));
      const cookie = sessionCookie(await fetch(`${server.url}/login`, { method: 'POST' }))!;
      await redis().kill();
      await down.promise;
      expect((await fetch(`${server.url}/me`, { headers: { cookie: `session=${cookie}` } })).status).toBe(500);
      await redis().start();
      await up.promise;
      // Redis restarted empty (no persistence in the tests): the session is gone, and requests work again.
      const answer = await fetch(`${server.url}/me`, { headers: { cookie: `session=${cookie}` } });
      expect([answer.status, await answer.json()]).toEqual([200, {}]);
    });

    it('fails connect() with RedisConnectionError when Redis is unreachable', async () => {
      const url = `redis://127.0.0.1:${await freePort()}/0`;
      const store = new RedisSessionStore(url);
      const failure = store.connect();
      await expect(failure).rejects.toThrow(RedisConnectionError);
      await expect(failure).rejects.toThrow(`RedisSessionStore could not connect to Redis at ${url} (connect ECONNREFUSED 127.0.0.1:${new URL(url).port}) after 3 attempts: is redis-server running there, and is the URL right?`);
    });
  });
});

describe('new RedisSessionStore(url)', () => {
  it('fits SessionMiddleware({ store }) and refuses a URL that is not redis://', () => {
    const store: SessionStore = new RedisSessionStore('redis://127.0.0.1:6379/0');
    expect(store).toBeInstanceOf(RedisSessionStore);
    expect(() => new RedisSessionStore('memory://')).toThrow('new RedisSessionStore(url) takes a redis:// URL (sessions in memory would not be shared between processes; leave out `store` to keep them in the cookie), got \'memory://\'');
    expect(() => new RedisSessionStore('127.0.0.1:6379')).toThrow(BroadcastUrlError);
    expect(() => new RedisSessionStore('redis://127.0.0.1', { browserSessionTtl: 0 })).toThrow('new RedisSessionStore(url, { browserSessionTtl }) takes a positive number of seconds, got 0');
  });
});
