/**
 * `@portico/broadcast/sessions`: server-side sessions in Redis for the framework's
 * `SessionMiddleware({ store })`. The cookie carries only a signed random id; the data and its
 * expiry live in Redis, so any process reads them and a logout really ends the session.
 * It matches the framework's `SessionStore` by shape: this package does not import the framework.
 */
import { randomBytes } from 'node:crypto';
import { NotConnectedError } from './errors';
import { RedisConnection } from './redis-connection';
import { parseBackendUrl } from './url';

/** A session: JSON values by name (the framework's `Session`). */
export type SessionData = Record<string, unknown>;

export interface RedisSessionStoreOptions {
  /** Prefix of the Redis keys. Default `'session:'`. */
  prefix?: string;
  /**
   * Seconds a session stays in Redis when the middleware's `maxAge` is null (a browser session:
   * Redis cannot see the browser close). Default one day.
   */
  browserSessionTtl?: number;
  /** Called when the connection to Redis is lost; session reads and writes reject with `RedisUnavailableError` until it is back. */
  onDisconnect?: (error: Error) => void;
  /** Called when the connection to Redis is back. */
  onReconnect?: () => void;
}

const DAY = 24 * 60 * 60;

/**
 * Sessions kept in Redis under `prefix + id`, with a Redis expiry of the middleware's `maxAge`.
 * Connect it at startup and disconnect it at shutdown, as a Broadcast.
 *
 * @example
 * const sessions = new RedisSessionStore(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
 * const app = new App({
 *   middleware: [new Middleware(SessionMiddleware, { secretKey: process.env.SESSION_KEY!, store: sessions })],
 *   lifespan: async () => {
 *     await sessions.connect();
 *     return { cleanup: () => sessions.disconnect() };
 *   },
 * });
 */
export class RedisSessionStore implements AsyncDisposable {
  /** The URL without its password. */
  readonly url: string;
  readonly #url: string;
  readonly #prefix: string;
  readonly #browserSessionTtl: number;
  readonly #options: RedisSessionStoreOptions;
  #connection: RedisConnection | null = null;

  constructor(url: string, options: RedisSessionStoreOptions = {}) {
    const parsed = parseBackendUrl(url, 'new RedisSessionStore(url)');
    if (parsed.kind !== 'redis') throw new TypeError(`new RedisSessionStore(url) takes a redis:// URL (sessions in memory would not be shared between processes; leave out \`store\` to keep them in the cookie), got '${url}'`);
    if (typeof options !== 'object' || options === null) throw new TypeError('new RedisSessionStore(url, options) takes an options object { prefix, browserSessionTtl, onDisconnect, onReconnect }');
    const ttl = options.browserSessionTtl ?? DAY;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new TypeError(`new RedisSessionStore(url, { browserSessionTtl }) takes a positive number of seconds, got ${String(ttl)}`);
    if (options.prefix !== undefined && typeof options.prefix !== 'string') throw new TypeError(`new RedisSessionStore(url, { prefix }) takes a string, got ${typeof options.prefix}`);
    this.url = parsed.shown;
    this.#url = parsed.url;
    this.#prefix = options.prefix ?? 'session:';
    this.#browserSessionTtl = ttl;
    this.#options = options;
  }

  /** Connects; rejects with `RedisConnectionError` when Redis cannot be reached. */
  async connect(): Promise<void> {
    if (this.#connection !== null) return;
    this.#connection = await RedisConnection.open(this.#url, this.url, 'RedisSessionStore', {
      down: (error) => this.#options.onDisconnect?.(error),
      up: () => this.#options.onReconnect?.(),
    });
  }

  async disconnect(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    await connection?.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.disconnect();
  }

  /** The session saved under `id`, or null when there is none (never saved, expired, removed). */
  async read(id: string): Promise<SessionData | null> {
    const text = await this.#connected().run('reading a session', (client) => client.get(this.#prefix + id));
    if (text === null) return null;
    try {
      const session: unknown = JSON.parse(text);
      return typeof session === 'object' && session !== null && !Array.isArray(session) ? (session as SessionData) : null;
    } catch {
      return null;
    }
  }

  /** Saves the session for `maxAge` seconds under `id`, or under a new random id when `id` is null; returns the id. */
  async write(id: string | null, session: SessionData, maxAge: number | null): Promise<string> {
    const key = id ?? randomBytes(24).toString('base64url');
    const value = JSON.stringify(session);
    await this.#connected().run('saving a session', (client) => client.set(this.#prefix + key, value, { expiration: { type: 'EX', value: this.#ttl(maxAge) } }));
    return key;
  }

  /** Pushes the expiry of an unchanged session `maxAge` seconds ahead. */
  async touch(id: string, maxAge: number | null): Promise<void> {
    await this.#connected().run('refreshing a session', (client) => client.expire(this.#prefix + id, this.#ttl(maxAge)));
  }

  async remove(id: string): Promise<void> {
    await this.#connected().run('removing a session', (client) => client.del(this.#prefix + id));
  }

  #ttl(maxAge: number | null): number {
    return maxAge ?? this.#browserSessionTtl;
  }

  #connected(): RedisConnection {
    if (this.#connection === null) throw new NotConnectedError(`the RedisSessionStore (${this.url}) is not connected: await store.connect() in the app's lifespan startup`);
    return this.#connection;
  }
}
