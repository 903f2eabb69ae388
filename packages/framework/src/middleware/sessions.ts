/**
 * Sessions behind a signed cookie. By default the cookie holds the session itself: the data
 * travels with the client, so any worker on any machine can read it (nothing lives in process
 * memory), and the signature means the client can read it but not change it. With a `store`, the
 * cookie holds only a signed id and the data lives in the store (Redis, say).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { App as GatewayApp, HeaderList, HttpResponseStartEvent, HttpScope, WebSocketScope } from '@portico/protocol';
import { checkBoolean, checkOptions, checkString, describeValue } from '../arguments';
import { defineScopeAccessor, type FrameworkScopeKeys } from '../connection';
import { parseCookies, setCookieHeader, type CookieOptions } from '../cookies';
import type { PathParamsRecord } from '../routing/path-pattern';
import { CookieSessionStore, type Session, type SessionStore } from './session-store';

export type { Session } from './session-store';

declare module '../connection' {
  interface FrameworkScopeKeys {
    /** Set by SessionMiddleware. */
    session?: Session;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- merging declarations repeat the class's type parameters
  interface HTTPConnection<Params extends object = PathParamsRecord> {
    /** The session (SessionMiddleware): read and write it like a plain object. */
    readonly session: Session;
  }
}

defineScopeAccessor('session', 'SessionMiddleware', '{ secretKey }');

export interface SessionOptions {
  /**
   * The key the cookie is signed with (HMAC-SHA256): long and random, from configuration, never in
   * the code. A list rotates keys: the first signs, every one verifies, so sessions signed with
   * the old key survive until they expire.
   */
  secretKey: string | readonly string[];
  /** The cookie's name. Default `'session'`. */
  sessionCookie?: string;
  /** Seconds a session lives after the last response that carried it; null for a browser session. Default 14 days. */
  maxAge?: number | null;
  /** Default `'lax'`. */
  sameSite?: 'lax' | 'strict' | 'none';
  /** Mark the cookie `Secure`, so browsers send it over https only. Default false. */
  httpsOnly?: boolean;
  /** Default `'/'`. */
  path?: string;
  domain?: string;
  /**
   * Where sessions live. Default: in the cookie itself (`CookieSessionStore`). A server-side store
   * such as `RedisSessionStore` from `@portico/broadcast/sessions` leaves only a signed id in the
   * cookie, for sessions too large or too private for one.
   */
  store?: SessionStore;
}

/** Browsers drop a cookie larger than this (name, value and attributes). */
const COOKIE_LIMIT = 4096;

/** The session no longer fits in a cookie; keep less in it (an id, and the rest in a database). */
export class SessionTooLargeError extends Error {
  override readonly name = 'SessionTooLargeError';
}

/**
 * Sessions: `request.session` is a plain object. While it is not empty every response sets the
 * cookie again (re-signed, so `maxAge` counts from the last response) and the store saves it if it
 * changed; empty it and the cookie is deleted and the store forgets it. A cookie that was tampered
 * with, signed with an unknown key, expired or malformed gives an empty session, never an error.
 * Websocket handshakes get `session` too, read-only (a websocket has no response to carry a cookie).
 *
 * @example
 * new App({ middleware: [new Middleware(SessionMiddleware, { secretKey: process.env.SESSION_KEY!, httpsOnly: true })] });
 * app.post('/login', async (request) => {
 *   request.session.userId = await checkPassword(await request.form());
 *   return new RedirectResponse('/', { status: 303 });
 * });
 */
export function SessionMiddleware(app: GatewayApp, options: SessionOptions): GatewayApp {
  const { signer, name, maxAge, cookieOptions, store } = sessionSettings(options);

  return async function sessions(scope, receive, send) {
    if (scope.type === 'lifespan') return app(scope, receive, send);
    const cookie = sessionCookie(scope, name);
    const id = cookie === undefined ? null : signer.unsign(cookie, maxAge);
    const loaded = id === null ? null : await store.read(id);
    const session: Session = loaded ?? {};
    (scope as FrameworkScopeKeys).session = session;
    if (scope.type === 'websocket') return app(scope, receive, send);
    // What the store holds, to tell a changed session (write) from one only used (touch).
    const before = loaded === null ? null : JSON.stringify(loaded);

    const start = async (event: HttpResponseStartEvent): Promise<void> => {
      let header: string;
      if (Object.keys(session).length > 0) {
        let kept = id;
        if (kept === null || loaded === null || JSON.stringify(session) !== before) kept = await store.write(loaded === null ? null : id, session, maxAge);
        else await store.touch(kept, maxAge);
        header = setCookieHeader(name, signer.sign(kept), cookieOptions);
        if (header.length > COOKIE_LIMIT) {
          throw new SessionTooLargeError(`the session cookie would be ${header.length} bytes and browsers drop cookies over ${COOKIE_LIMIT}: keep less in request.session`);
        }
      } else if (cookie !== undefined) {
        if (loaded !== null && id !== null) await store.remove(id);
        header = setCookieHeader(name, '', { ...cookieOptions, maxAge: 0, expires: new Date(0) });
      } else return send(event);
      const headers: HeaderList = [...(event.headers ?? []), ['set-cookie', header]];
      return send({ ...event, headers });
    };
    await app(scope, receive, (event) => (event.type === 'http.response.start' ? start(event) : send(event)));
  };
}

// Run by new Middleware(SessionMiddleware, options): wrong options fail when the app is configured.
SessionMiddleware.checkOptions = (options: SessionOptions): void => void sessionSettings(options);

const SESSION_OPTIONS: Record<keyof SessionOptions, true> = { secretKey: true, sessionCookie: true, maxAge: true, sameSite: true, httpsOnly: true, path: true, domain: true, store: true };

interface SessionSettings {
  signer: CookieSigner;
  name: string;
  maxAge: number | null;
  cookieOptions: CookieOptions;
  store: SessionStore;
}

function sessionSettings(given: SessionOptions): SessionSettings {
  const options = checkOptions(given, 'new Middleware(SessionMiddleware, options)', SESSION_OPTIONS);
  const signer = new CookieSigner(options.secretKey);
  const name = checkString(options.sessionCookie, 'SessionMiddleware({ sessionCookie })') ?? 'session';
  const maxAge = options.maxAge === undefined ? 14 * 24 * 60 * 60 : options.maxAge;
  if (maxAge !== null && (!Number.isInteger(maxAge) || maxAge <= 0)) throw new TypeError(`SessionMiddleware maxAge is a positive number of seconds or null, got ${maxAge}`);
  const cookieOptions: CookieOptions = {
    path: checkString(options.path, 'SessionMiddleware({ path })') ?? '/',
    httpOnly: true,
    sameSite: options.sameSite ?? 'lax',
    ...(maxAge !== null && { maxAge }),
    ...(checkBoolean(options.httpsOnly, 'SessionMiddleware({ httpsOnly })') === true && { secure: true }),
    ...(checkString(options.domain, 'SessionMiddleware({ domain })') !== undefined && { domain: options.domain }),
  };
  // Fail now, at startup, rather than on the first login: the options must make a valid cookie.
  setCookieHeader(name, '', cookieOptions);
  return { signer, name, maxAge, cookieOptions, store: checkStore(options.store) };
}

function checkStore(store: SessionStore | undefined): SessionStore {
  if (store === undefined) return new CookieSessionStore();
  const missing = (['read', 'write', 'touch', 'remove'] as const).filter((method) => typeof (store as Partial<SessionStore> | null)?.[method] !== 'function');
  if (missing.length > 0) throw new TypeError(`SessionMiddleware({ store }) takes a SessionStore (read, write, touch, remove), got ${describeValue(store)} without ${missing.join(', ')}`);
  return store;
}

function sessionCookie(scope: HttpScope | WebSocketScope, name: string): string | undefined {
  const values: string[] = [];
  for (const [header, value] of scope.headers) if (header === 'cookie') values.push(value);
  return values.length === 0 ? undefined : parseCookies(values)[name];
}

/**
 * `id.issuedAt.base64url(hmac)`: the HMAC-SHA256 covers the store's id (the cookie store's is
 * `base64url(json)`) and the time it was issued, so neither can be changed, and an old cookie
 * cannot be replayed past `maxAge`.
 */
class CookieSigner {
  readonly #keys: readonly string[];

  constructor(secretKey: string | readonly string[]) {
    const keys: unknown[] = typeof secretKey === 'string' ? [secretKey] : Array.isArray(secretKey) ? [...(secretKey as unknown[])] : [];
    if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.length === 0)) {
      throw new TypeError(`SessionMiddleware needs a secretKey: a long random string (or a list of them, newest first), read from configuration; got ${describeValue(secretKey)}`);
    }
    this.#keys = keys as string[];
  }

  sign(id: string): string {
    const payload = `${id}.${Math.floor(Date.now() / 1000).toString(36)}`;
    return `${payload}.${this.#mac(this.#keys[0]!, payload).toString('base64url')}`;
  }

  /** The id in a cookie, or null when the signature or the age is not good. */
  unsign(cookie: string, maxAge: number | null): string | null {
    const dot = cookie.lastIndexOf('.');
    if (dot === -1) return null;
    const payload = cookie.slice(0, dot);
    const signature = Buffer.from(cookie.slice(dot + 1), 'base64url');
    if (!this.#keys.some((key) => matches(this.#mac(key, payload), signature))) return null;
    const issuedAt = payload.lastIndexOf('.');
    if (issuedAt === -1) return null;
    const age = Math.floor(Date.now() / 1000) - parseInt(payload.slice(issuedAt + 1), 36);
    if (Number.isNaN(age) || (maxAge !== null && age > maxAge)) return null;
    return payload.slice(0, issuedAt);
  }

  #mac(key: string, payload: string): Buffer {
    return createHmac('sha256', key).update(payload).digest();
  }
}

/** Constant-time comparison; lengths are public (every signature is 32 bytes). */
function matches(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}
