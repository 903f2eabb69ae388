/** SessionMiddleware with a server-side store: the cookie carries a signed id, the store the data. */
import { describe, expect, it } from '@jest/globals';
import { websocketScope } from '@portico/protocol';
import { App, CookieSessionStore, JSONResponse, Middleware, PlainTextResponse, Route, SessionMiddleware, TestClient, type Session, type SessionStore } from '@portico/framework';

/** A store in a Map that records every call, as a Redis store would see them. */
class RecordingStore implements SessionStore {
  readonly data = new Map<string, Session>();
  readonly calls: string[] = [];
  #next = 0;
  failing = false;

  async read(id: string): Promise<Session | null> {
    this.#record(`read ${id}`);
    const session = this.data.get(id);
    return session === undefined ? null : structuredClone(session);
  }

  async write(id: string | null, session: Session, maxAge: number | null): Promise<string> {
    const key = id ?? `id${++this.#next}`;
    this.#record(`write ${key} ${maxAge}`);
    this.data.set(key, structuredClone(session));
    return key;
  }

  async touch(id: string, maxAge: number | null): Promise<void> {
    this.#record(`touch ${id} ${maxAge}`);
  }

  async remove(id: string): Promise<void> {
    this.#record(`remove ${id}`);
    this.data.delete(id);
  }

  #record(call: string): void {
    if (this.failing) throw new Error('the store is down');
    this.calls.push(call);
  }
}

const routes = [
  new Route('/login', (request) => ((request.session['user'] = 'ada'), new PlainTextResponse('in')), { methods: ['POST'] }),
  new Route('/visit', (request) => ((request.session['visits'] = Number(request.session['visits'] ?? 0) + 1), new PlainTextResponse('counted')), { methods: ['POST'] }),
  new Route('/me', (request) => new JSONResponse(request.session)),
  new Route('/logout', (request) => (delete request.session['user'], delete request.session['visits'], new PlainTextResponse('out')), { methods: ['POST'] }),
];

function clientWith(store: SessionStore, options: { raiseServerExceptions?: boolean } = {}): TestClient {
  return new TestClient(new App({ routes, middleware: [new Middleware(SessionMiddleware, { secretKey: 'k', maxAge: 600, store })] }), options);
}

const cookieOf = (header: string | null | undefined): string => /^session=([^;]*)/.exec(header ?? '')?.[1] ?? '';

describe('SessionMiddleware with a store', () => {
  it('puts only a signed id in the cookie and the session in the store', async () => {
    const store = new RecordingStore();
    const client = clientWith(store);
    const login = await client.post('/login');
    const cookie = cookieOf(login.headers.get('set-cookie'));
    expect(cookie).toMatch(/^id1\.[0-9a-z]+\.[\w-]{43}$/);
    expect(store.data.get('id1')).toEqual({ user: 'ada' });
    expect((await client.get('/me')).json()).toEqual({ user: 'ada' });
    expect(store.calls).toEqual(['write id1 600', 'read id1', 'touch id1 600']);
  });

  it('writes a changed session under the same id and only touches one that was used', async () => {
    const store = new RecordingStore();
    const client = clientWith(store);
    await client.post('/login');
    await client.post('/visit');
    await client.get('/me');
    expect(store.calls).toEqual(['write id1 600', 'read id1', 'write id1 600', 'read id1', 'touch id1 600']);
    expect(store.data.get('id1')).toEqual({ user: 'ada', visits: 1 });
  });

  it('removes an emptied session from the store and deletes the cookie', async () => {
    const store = new RecordingStore();
    const client = clientWith(store);
    await client.post('/login');
    const logout = await client.post('/logout');
    expect(logout.headers.get('set-cookie')).toMatch(/^session=; Max-Age=0/);
    expect(store.calls.at(-1)).toBe('remove id1');
    expect(store.data.size).toBe(0);
  });

  it('never asks the store about an id whose signature does not hold', async () => {
    const store = new RecordingStore();
    store.data.set('id9', { user: 'admin' });
    const client = clientWith(store);
    const forged = await client.get('/me', { headers: { cookie: 'session=id9.0.AAAA' } });
    expect(forged.json()).toEqual({});
    expect(store.calls).toEqual([]);
  });

  it('issues a new id when the store no longer has the one in the cookie (it expired there)', async () => {
    const store = new RecordingStore();
    const client = clientWith(store);
    await client.post('/login');
    store.data.clear();
    expect((await client.get('/me')).json()).toEqual({});
    await client.post('/visit');
    expect([...store.data.keys()]).toEqual(['id2']);
  });

  it('fails the request when the store fails, rather than serving a signed-out visitor', async () => {
    const store = new RecordingStore();
    const client = clientWith(store, { raiseServerExceptions: false });
    await client.post('/login');
    store.failing = true;
    expect((await client.get('/me')).status).toBe(500);
  });

  it('gives a websocket handshake the session the store holds for its cookie', async () => {
    const store = new RecordingStore();
    const cookie = cookieOf((await clientWith(store).post('/login')).headers.get('set-cookie'));
    let seen: unknown;
    const app = SessionMiddleware(
      async (scope, _receive, send) => {
        seen = (scope as { session?: unknown }).session;
        await send({ type: 'websocket.close' });
      },
      { secretKey: 'k', store },
    );
    await app(websocketScope({ headers: [['cookie', `session=${cookie}`]] }), async () => ({ type: 'websocket.connect' }), async () => undefined);
    expect(seen).toEqual({ user: 'ada' });
  });

  it('refuses a store without the four methods when the stack is built', () => {
    const incomplete = { read: async () => null } as unknown as SessionStore;
    expect(() => new Middleware(SessionMiddleware, { secretKey: 'k', store: incomplete })).toThrow(
      'SessionMiddleware({ store }) takes a SessionStore (read, write, touch, remove), got an object with keys read without write, touch, remove',
    );
  });
});

describe('CookieSessionStore', () => {
  it('is the default: the id is the session itself, and garbage reads as no session', async () => {
    const store = new CookieSessionStore();
    const id = await store.write(null, { user: 'ada' }, 60);
    expect(Buffer.from(id, 'base64url').toString()).toBe('{"user":"ada"}');
    expect(await store.read(id)).toEqual({ user: 'ada' });
    for (const garbage of ['', '!!', Buffer.from('[1]').toString('base64url'), Buffer.from('"x"').toString('base64url')]) expect(await store.read(garbage)).toBeNull();
  });
});
