import type { Backend, BackendEvents } from './backend';
import { RedisConnection } from './redis-connection';

/**
 * `redis://`: Redis pub/sub. Publishing and subscribing use two connections, since a connection
 * in subscribe mode can send nothing but (un)subscribe commands. The client subscribes again by
 * itself after a reconnect.
 */
export class RedisBackend implements Backend {
  readonly #url: string;
  readonly #shown: string;
  readonly #events: BackendEvents;
  #publisher: RedisConnection | null = null;
  #subscriber: RedisConnection | null = null;
  /** Which of the two connections are down: the outage is reported when the first drops and over when both are back. */
  readonly #down = new Set<'publisher' | 'subscriber'>();
  readonly #listener = (message: string, channel: string): void => this.#events.deliver(channel, message);

  constructor(url: string, shown: string, events: BackendEvents) {
    this.#url = url;
    this.#shown = shown;
    this.#events = events;
  }

  async connect(): Promise<void> {
    const [publisher, subscriber] = await Promise.allSettled([this.#open('publisher'), this.#open('subscriber')]);
    if (publisher.status === 'fulfilled' && subscriber.status === 'fulfilled') {
      this.#publisher = publisher.value;
      this.#subscriber = subscriber.value;
      return;
    }
    // One failed: close the other, and report the first failure.
    for (const result of [publisher, subscriber]) if (result.status === 'fulfilled') await result.value.close();
    throw publisher.status === 'rejected' ? publisher.reason : (subscriber as PromiseRejectedResult).reason;
  }

  async disconnect(): Promise<void> {
    const connections = [this.#publisher, this.#subscriber];
    this.#publisher = this.#subscriber = null;
    this.#down.clear();
    await Promise.all(connections.map((connection) => connection?.close() ?? Promise.resolve()));
  }

  async subscribe(channel: string): Promise<void> {
    await this.#connected(this.#subscriber).run(`subscribing to '${channel}'`, (client) => client.subscribe(channel, this.#listener));
  }

  async unsubscribe(channel: string): Promise<void> {
    // Straight to the client even during an outage: it forgets the channel at once, so a reconnect does not subscribe it again.
    await this.#subscriber?.client.unsubscribe(channel, this.#listener).catch(() => undefined);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#connected(this.#publisher).run(`publishing to '${channel}'`, (client) => client.publish(channel, message));
  }

  #connected(connection: RedisConnection | null): RedisConnection {
    if (connection === null) throw new Error(`the Redis backend at ${this.#shown} is not connected`);
    return connection;
  }

  #open(role: 'publisher' | 'subscriber'): Promise<RedisConnection> {
    return RedisConnection.open(this.#url, this.#shown, 'Broadcast', {
      down: (error) => {
        if (this.#down.size === 0) this.#events.down(error);
        this.#down.add(role);
      },
      up: () => {
        this.#down.delete(role);
        if (this.#down.size === 0) this.#events.up();
      },
    });
  }
}
