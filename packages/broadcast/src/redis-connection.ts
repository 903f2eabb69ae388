/**
 * One Redis connection with the policy every part of this package shares: a few quick attempts at
 * startup and then a clear `RedisConnectionError`; once connected, reconnect forever with back-off;
 * commands sent while reconnecting reject instead of waiting in a queue.
 */
import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import { RedisConnectionError, RedisUnavailableError } from './errors';

export type RedisClient = RedisClientType;

/** Told when the connection drops (once per outage) and when it is back. */
export interface ConnectionEvents {
  down(error: Error): void;
  up(): void;
}

/** Attempts at startup before giving up: enough for a Redis that starts beside the app, short enough to fail fast. */
const STARTUP_ATTEMPTS = 3;

/** Doubling from 50 ms up to 2 s, with jitter so many processes do not reconnect in lockstep. */
export function reconnectDelay(retries: number): number {
  return Math.min(50 * 2 ** retries, 2000) + Math.floor(Math.random() * 50);
}

export class RedisConnection {
  readonly client: RedisClient;
  /** The URL without its password, for messages. */
  readonly #shown: string;

  private constructor(client: RedisClient, shown: string) {
    this.client = client;
    this.#shown = shown;
  }

  /**
   * Connects to `url`. `what` names the user of the connection in errors (`Broadcast`,
   * `RedisSessionStore`); `shown` is the URL without its password.
   */
  static async open(url: string, shown: string, what: string, events: ConnectionEvents): Promise<RedisConnection> {
    let started = false;
    let up = false;
    const client: RedisClient = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        // false gives up: connect() then rejects with the last socket error.
        reconnectStrategy: (retries: number) => (started || retries + 1 < STARTUP_ATTEMPTS ? reconnectDelay(retries) : false),
      },
    });
    // Without an 'error' listener the client's errors would crash the process; outages are reported through `events`.
    client.on('error', (error: Error) => {
      if (!up) return;
      up = false;
      events.down(error);
    });
    client.on('ready', () => {
      if (started && !up) events.up();
      up = true;
    });
    try {
      await client.connect();
    } catch (error) {
      client.destroy();
      throw new RedisConnectionError(`${what} could not connect to Redis at ${shown} (${reasonOf(error)}) after ${STARTUP_ATTEMPTS} attempts: is redis-server running there, and is the URL right?`, { cause: error });
    }
    started = true;
    return new RedisConnection(client, shown);
  }

  /**
   * Runs a command, turning connection errors into `RedisUnavailableError`; errors Redis itself
   * replies (`WRONGTYPE`, `NOAUTH`) pass through: they are bugs, not outages.
   */
  async run<T>(doing: string, command: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) throw new RedisUnavailableError(`${doing} failed: Redis at ${this.#shown} is unreachable (reconnecting)`);
    try {
      return await command(this.client);
    } catch (error) {
      if (error instanceof ErrorReply) throw error;
      throw new RedisUnavailableError(`${doing} failed: the connection to Redis at ${this.#shown} was lost (${reasonOf(error)})`, { cause: error });
    }
  }

  /** Closes gracefully when connected; during an outage there is nothing to wait for. */
  async close(): Promise<void> {
    if (this.client.isReady) await this.client.close();
    else this.client.destroy();
  }
}

/** Read without instanceof: socket errors may come from another realm (Node's own, under a test runner's sandbox). */
function reasonOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}
