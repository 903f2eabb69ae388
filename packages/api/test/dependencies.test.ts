import { describe, expect, it } from '@jest/globals';
import { TestClient } from '@portico/framework';
import { Api, depends, HTTPException } from '@portico/api';

describe('dependencies', () => {
  it('resolves each dependency once per request, nested ones first, and types deps', async () => {
    const calls: string[] = [];
    const config = depends(() => {
      calls.push('config');
      return { greeting: 'hello' };
    });
    const greeter = depends(({ deps }) => `${deps.config.greeting}, world`, { dependencies: { config } });
    const api = new Api().get('/', { dependencies: { config, greeter } }, ({ deps }) => ({ greeting: deps.config.greeting, line: deps.greeter.toUpperCase() }));
    const client = new TestClient(api);
    expect((await client.get('/')).json()).toEqual({ greeting: 'hello', line: 'HELLO, WORLD' });
    await client.get('/');
    expect(calls).toEqual(['config', 'config']);
  });

  it('runs generator cleanup after the response is sent, last first', async () => {
    const events: string[] = [];
    const db = depends(async function* () {
      events.push('db open');
      try {
        yield { query: () => 42 };
      } finally {
        events.push('db closed');
      }
    });
    const tx = depends(
      function* ({ deps }) {
        events.push('tx begin');
        yield deps.db;
        events.push('tx commit');
      },
      { dependencies: { db } },
    );
    const api = new Api()
      .use(async (_request, next) => {
        const response = await next();
        events.push('response started');
        return response;
      })
      .get('/', { dependencies: { tx } }, ({ deps }) => {
        events.push('handler');
        return deps.tx.query();
      });
    const client = new TestClient(api);
    await client.start();
    expect((await client.get('/')).json()).toBe(42);
    expect(events).toEqual(['db open', 'tx begin', 'handler', 'response started', 'tx commit', 'db closed']);
  });

  it('throws the request\'s error into generators (catch rolls back) and still answers it', async () => {
    const events: string[] = [];
    const tx = depends(async function* () {
      try {
        yield 'tx';
        events.push('commit');
      } catch (error) {
        events.push(`rollback: ${(error as Error).message}`);
        throw error;
      }
    });
    const api = new Api().post('/', { dependencies: { tx } }, () => {
      throw new HTTPException(409, 'conflict');
    });
    const response = await new TestClient(api).post('/');
    expect(response.status).toBe(409);
    expect(response.json()).toEqual({ detail: 'conflict' });
    expect(events).toEqual(['rollback: 409: conflict']);
  });

  it('answers a dependency\'s HTTPException and still cleans up those resolved before it', async () => {
    const events: string[] = [];
    const first = depends(function* () {
      try {
        yield 1;
      } finally {
        events.push('first cleaned');
      }
    });
    const guard = depends(() => {
      throw new HTTPException(401, 'who are you', { 'www-authenticate': 'Bearer' });
    });
    const api = new Api().get('/', { dependencies: { first, guard } }, () => 'never');
    const response = await new TestClient(api).get('/');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.json()).toEqual({ detail: 'who are you' });
    expect(events).toEqual(['first cleaned']);
  });

  it('uses dependencyOverrides in tests, with the original\'s own dependencies', async () => {
    const token = depends(({ request }) => request.headers.get('x-token') ?? 'none');
    async function getUser({ deps }: { deps: { token: string } }): Promise<{ name: string }> {
      return { name: `real:${deps.token}` };
    }
    const user = depends(getUser, { dependencies: { token } });
    const api = new Api().get('/me', { dependencies: { user } }, ({ deps }) => deps.user.name);
    const client = new TestClient(api);
    expect((await client.get('/me', { headers: { 'x-token': 't' } })).json()).toBe('real:t');
    api.dependencyOverrides.set(getUser, ({ deps }: { deps: { token: string } }) => ({ name: `fake:${deps.token}` }));
    expect((await client.get('/me', { headers: { 'x-token': 't' } })).json()).toBe('fake:t');
    api.dependencyOverrides.clear();
    expect((await client.get('/me')).json()).toBe('real:none');
  });

  it('creates lifespan dependencies once at startup, disposes them at shutdown, after the user lifespan starts and before it ends', async () => {
    const events: string[] = [];
    const pool = depends(
      async function* ({ state }) {
        events.push(`pool open (${String(state.dsn)})`);
        yield { size: 5 };
        events.push('pool closed');
      },
      { scope: 'lifespan' },
    );
    const connection = depends(({ deps }) => `connection from a pool of ${deps.pool.size}`, { dependencies: { pool } });
    const api = new Api({
      lifespan: () => {
        events.push('user startup');
        return { state: { dsn: 'db://' }, cleanup: () => void events.push('user cleanup') };
      },
    }).get('/', { dependencies: { connection } }, ({ deps }) => deps.connection);
    const client = new TestClient(api);
    await client.start();
    expect((await client.get('/')).json()).toBe('connection from a pool of 5');
    await client.get('/');
    await client.close();
    expect(events).toEqual(['user startup', 'pool open (db://)', 'pool closed', 'user cleanup']);
  });

  it('says what to do when a lifespan dependency is used before startup', async () => {
    const pool = depends(function namedPool() { return 1; }, { scope: 'lifespan' });
    const api = new Api().get('/', { dependencies: { pool } }, ({ deps }) => deps.pool);
    await expect(new TestClient(api).get('/')).rejects.toThrow('the lifespan dependency namedPool was used before the app\'s lifespan started: the server runs it at startup; with a TestClient, call `await client.start()` first');
  });

  it('refuses a lifespan dependency that depends on a request dependency, and non-dependencies', () => {
    const perRequest = depends(() => 1);
    expect(() => depends(function pool() { return 2; }, { scope: 'lifespan', dependencies: { perRequest } as never })).toThrow(
      "the lifespan dependency pool depends on 'perRequest', a request dependency",
    );
    function getUser(): number {
      return 1;
    }
    // @ts-expect-error a bare function is not a dependency
    expect(() => new Api().get('/', { dependencies: { user: getUser } }, () => 1)).toThrow("dependency 'user' is a function (getUser), not a depends(...) value (wrap the function: { user: depends(getUser) })");
  });
});
