/**
 * Where `SessionMiddleware` keeps sessions. The cookie always carries a signed id; a store says
 * what that id is. The default keeps the session itself in it (nothing on the server); a
 * server-side store (Redis: `@portico/broadcast/sessions`) makes it a random key to its data.
 */

/** What `request.session` holds: JSON values by name. */
export type Session = Record<string, unknown>;

/**
 * A place for sessions. The middleware verifies the cookie's signature and age before `read`,
 * so a store only ever sees ids it issued; it calls `write` when the session changed, `touch`
 * when it was used unchanged, and `remove` when it was emptied. A method that rejects fails the
 * request (500), so an unreachable store is never mistaken for a signed-out visitor.
 *
 * @example
 * const store: SessionStore = {
 *   read: async (id) => sessions.get(id) ?? null,
 *   write: async (id, session) => { const key = id ?? randomUUID(); sessions.set(key, session); return key; },
 *   touch: async () => {},
 *   remove: async (id) => void sessions.delete(id),
 * };
 */
export interface SessionStore {
  /** The session saved under `id`, or null when there is none (never saved, expired, removed). */
  read(id: string): Promise<Session | null>;
  /**
   * Saves `session` under `id`, or under a new id when `id` is null, for `maxAge` seconds (null:
   * a browser session); resolves with the id the cookie will carry.
   */
  write(id: string | null, session: Session, maxAge: number | null): Promise<string>;
  /** The session was used but not changed: keep it `maxAge` more seconds. */
  touch(id: string, maxAge: number | null): Promise<void>;
  /** Forget the session (it was emptied, as on logout). */
  remove(id: string): Promise<void>;
}

/**
 * The default store: the id is the session itself (`base64url(json)`), so nothing is kept on the
 * server and any worker on any machine can read it; the signature keeps the client from changing
 * it, not from reading it. Browsers drop cookies over 4 KB, so keep it small.
 */
export class CookieSessionStore implements SessionStore {
  async read(id: string): Promise<Session | null> {
    try {
      const session: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
      return typeof session === 'object' && session !== null && !Array.isArray(session) ? (session as Session) : null;
    } catch {
      return null;
    }
  }

  async write(_id: string | null, session: Session, _maxAge?: number | null): Promise<string> {
    return Buffer.from(JSON.stringify(session)).toString('base64url');
  }

  /** Nothing to do: the middleware re-signs the cookie, which restarts its age. */
  async touch(): Promise<void> {}

  async remove(): Promise<void> {}
}
