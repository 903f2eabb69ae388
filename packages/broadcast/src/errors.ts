/** The errors a user of `@portico/broadcast` acts on, each with a message that says what to do. */

/**
 * The URL names no backend this package has, or is malformed: thrown by the constructor, so a
 * wrong `BROADCAST_URL` fails at startup.
 *
 * @example
 * new Broadcast('http://localhost:6379');
 * // BroadcastUrlError: new Broadcast(url) takes memory:// or redis://host:port/db, got 'http://localhost:6379'
 */
export class BroadcastUrlError extends TypeError {
  override readonly name = 'BroadcastUrlError';
}

/** Redis could not be reached when connecting at startup; `cause` is the client's last error. */
export class RedisConnectionError extends Error {
  override readonly name = 'RedisConnectionError';
}

/**
 * Redis went away after startup and is being reconnected to: a publish (or a session read or
 * write) in that window rejects with this instead of being dropped without a word.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}

/** Used before `connect()` resolved or after `disconnect()`: connect in the app's lifespan startup. */
export class NotConnectedError extends Error {
  override readonly name = 'NotConnectedError';
}

/**
 * A subscriber fell further behind than its buffer holds (a client that stopped reading), so it
 * was dropped rather than let memory grow without bound. Thrown from its iteration.
 */
export class SlowSubscriberError extends Error {
  override readonly name = 'SlowSubscriberError';
}
