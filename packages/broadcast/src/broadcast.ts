import type { Backend, BackendEvents } from './backend';
import { NotConnectedError } from './errors';
import { MemoryBackend } from './memory-backend';
import { RedisBackend } from './redis-backend';
import { Subscription, type SubscriberSink } from './subscription';
import { parseBackendUrl } from './url';

export interface BroadcastOptions {
  /**
   * Called when the connection to Redis is lost (once per outage). Publishing rejects with
   * `RedisUnavailableError` until it is back; subscriptions stay open and resume by themselves.
   */
  onDisconnect?: (error: Error) => void;
  /** Called when the connection to Redis is back and every channel is subscribed again. */
  onReconnect?: () => void;
}

export interface SubscribeOptions {
  /** Ends the subscription when aborted (say, when the WebSocket it feeds closes). */
  signal?: AbortSignal;
  /** Messages held for a subscriber that reads slower than they arrive; past that it fails with `SlowSubscriberError`. Default 1000. */
  bufferSize?: number;
}

const DEFAULT_BUFFER_SIZE = 1000;

/** The subscribers of one channel here, and the backend's (un)subscribe calls for it, run one after another. */
interface Channel {
  readonly subscribers: Set<SubscriberSink>;
  ready: Promise<void>;
}

type State = 'idle' | 'connecting' | 'connected' | 'closed';

/**
 * Publish/subscribe across processes. The backend comes from the URL: `memory://` (the default;
 * one process, nothing to run) or `redis://host:port/db` (every process connected to that Redis
 * shares the channels). Messages are strings; send JSON as text. Connect at startup and
 * disconnect at shutdown, in the app's lifespan.
 *
 * @example
 * const broadcast = new Broadcast(process.env.BROADCAST_URL ?? 'memory://');
 * await broadcast.connect();
 * const subscription = broadcast.subscribe('news');
 * await subscription.ready;
 * await broadcast.publish('news', JSON.stringify({ headline: 'hello' }));
 * for await (const message of subscription) { console.log(JSON.parse(message)); break; }
 * await broadcast.disconnect();
 */
export class Broadcast implements AsyncDisposable {
  /** The URL without its password. */
  readonly url: string;
  readonly #backend: Backend;
  readonly #channels = new Map<string, Channel>();
  /** Per channel, the last backend (un)subscribe call, so a quick leave-and-rejoin reaches Redis in order. */
  readonly #pending = new Map<string, Promise<void>>();
  #state: State = 'idle';
  #connecting: Promise<void> | null = null;
  #subscriberCount = 0;

  constructor(url = 'memory://', options: BroadcastOptions = {}) {
    const backendUrl = parseBackendUrl(url, 'new Broadcast(url)');
    if (typeof options !== 'object' || options === null) throw new TypeError('new Broadcast(url, options) takes an options object { onDisconnect, onReconnect }');
    const events: BackendEvents = {
      deliver: (channel, message) => this.#deliver(channel, message),
      down: (error) => options.onDisconnect?.(error),
      up: () => options.onReconnect?.(),
    };
    if (backendUrl.kind === 'memory') {
      this.url = 'memory://';
      this.#backend = new MemoryBackend(events);
    } else {
      this.url = backendUrl.shown;
      this.#backend = new RedisBackend(backendUrl.url, backendUrl.shown, events);
    }
  }

  /** Whether `connect()` has resolved and `disconnect()` has not been called. */
  get connected(): boolean {
    return this.#state === 'connected';
  }

  /**
   * Connects to the backend. Rejects with `RedisConnectionError` when Redis cannot be reached, so
   * the app's startup fails with a message instead of serving without it. Calling it again while
   * connected does nothing.
   */
  connect(): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    this.#connecting ??= this.#backend.connect().then(
      () => {
        this.#state = 'connected';
        this.#connecting = null;
      },
      (error: unknown) => {
        this.#state = 'idle';
        this.#connecting = null;
        throw error;
      },
    );
    this.#state = 'connecting';
    return this.#connecting;
  }

  /** Ends every subscription (their loops finish) and closes the connections. It can connect again afterwards. */
  async disconnect(): Promise<void> {
    if (this.#state === 'connecting') await this.#connecting?.catch(() => undefined);
    this.#state = 'closed';
    for (const channel of [...this.#channels.values()]) for (const subscriber of [...channel.subscribers]) subscriber.end();
    await Promise.all(this.#pending.values());
    await this.#backend.disconnect();
  }

  /** `await using broadcast = new Broadcast(url)`: disconnected when the block ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.disconnect();
  }

  /**
   * Sends `message` to every subscriber of `channel`, in every process. Messages from one
   * publisher arrive in the order they were published. Rejects with `RedisUnavailableError` while
   * Redis is unreachable: the message was not sent.
   */
  async publish(channel: string, message: string): Promise<void> {
    this.#checkConnected('publish');
    if (typeof channel !== 'string' || typeof message !== 'string') {
      throw new TypeError(`broadcast.publish(channel, message) takes two strings (send JSON.stringify(value) for anything else), got ${typeof channel} and ${typeof message}`);
    }
    await this.#backend.publish(channel, message);
  }

  /**
   * The messages published on `channel` from now on, as an async iterable; `await
   * subscription.ready` to be sure the backend is subscribed before relying on it. It ends when
   * the loop over it stops (`break`), on `close()` or `signal`, or when the Broadcast disconnects.
   */
  subscribe(channel: string, options: SubscribeOptions = {}): Subscription {
    this.#checkConnected('subscribe');
    if (typeof channel !== 'string') throw new TypeError(`broadcast.subscribe(channel) takes a string, got ${typeof channel}`);
    const bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new TypeError(`broadcast.subscribe(channel, { bufferSize }) takes a positive integer, got ${String(bufferSize)}`);
    return new Subscription(channel, (sink) => this.#attach(channel, sink), { bufferSize, signal: options.signal });
  }

  /** Open subscriptions in this process: on `channel`, or on every channel. They stop counting as soon as they end. */
  subscriberCount(channel?: string): number {
    if (channel === undefined) return this.#subscriberCount;
    return this.#channels.get(channel)?.subscribers.size ?? 0;
  }

  #attach(name: string, sink: SubscriberSink): { ready: Promise<void>; detach: () => void } {
    let channel = this.#channels.get(name);
    if (channel === undefined) {
      channel = { subscribers: new Set(), ready: this.#serially(name, () => this.#backend.subscribe(name)) };
      this.#channels.set(name, channel);
    }
    const joined = channel;
    joined.subscribers.add(sink);
    this.#subscriberCount++;
    const detach = (): void => {
      if (!joined.subscribers.delete(sink)) return;
      this.#subscriberCount--;
      if (joined.subscribers.size > 0 || this.#channels.get(name) !== joined) return;
      this.#channels.delete(name);
      void this.#serially(name, () => this.#backend.unsubscribe(name)).catch(() => undefined);
    };
    return { ready: joined.ready, detach };
  }

  /** Runs `step` after the channel's previous backend call, whether that one failed or not. */
  #serially(name: string, step: () => Promise<void>): Promise<void> {
    const previous = this.#pending.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(step);
    const settled = next.catch(() => undefined);
    this.#pending.set(name, settled);
    void settled.then(() => {
      if (this.#pending.get(name) === settled) this.#pending.delete(name);
    });
    return next;
  }

  #deliver(name: string, message: string): void {
    const channel = this.#channels.get(name);
    if (channel === undefined) return;
    for (const subscriber of [...channel.subscribers]) subscriber.deliver(message);
  }

  #checkConnected(doing: string): void {
    if (this.#state === 'connected') return;
    const advice = this.#state === 'closed' ? 'it was disconnected' : 'await broadcast.connect() first, in the app\'s lifespan startup';
    throw new NotConnectedError(`broadcast.${doing}() on a Broadcast that is not connected (${this.url}): ${advice}`);
  }
}
