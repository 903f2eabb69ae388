import { SlowSubscriberError } from './errors';

/** What a subscription is told by its Broadcast; not part of the public API. */
export interface SubscriberSink {
  deliver(message: string): void;
  /** Ends the iteration: with `error` it throws, without it it is done. */
  end(error?: Error): void;
}

/** How a subscription attaches to its Broadcast: `ready` settles when messages flow; `detach` is called once when it ends. */
export type Attach = (sink: SubscriberSink) => { ready: Promise<void>; detach: () => void };

interface Waiter {
  resolve(result: IteratorResult<string>): void;
  reject(error: Error): void;
}

/**
 * The messages of one channel, from the moment it was subscribed, as an async iterable. It ends
 * (and stops being counted) when the loop over it stops (`break`, `return`, a throw), when
 * `close()` is called or its `signal` aborts, or when the Broadcast disconnects.
 *
 * @example
 * const subscription = broadcast.subscribe('news');
 * await subscription.ready;            // from here on, nothing published is missed
 * for await (const message of subscription) console.log(message);
 */
export class Subscription implements AsyncIterableIterator<string>, AsyncDisposable {
  readonly channel: string;
  /**
   * Resolves once the backend delivers this channel's messages (the Redis `SUBSCRIBE` was
   * confirmed); rejects if it could not subscribe. Iterating waits for it by itself.
   */
  readonly ready: Promise<void>;
  readonly #buffer: string[] = [];
  readonly #bufferSize: number;
  #waiter: Waiter | null = null;
  #ended = false;
  #error: Error | null = null;
  #detach: (() => void) | null;
  #removeAbortListener: (() => void) | null = null;

  /** Made by `broadcast.subscribe(channel)`, not directly. */
  constructor(channel: string, attach: Attach, options: { bufferSize: number; signal?: AbortSignal | undefined }) {
    this.channel = channel;
    this.#bufferSize = options.bufferSize;
    const { ready, detach } = attach({ deliver: (message) => this.#deliver(message), end: (error) => this.#end(error) });
    this.#detach = detach;
    // A failed subscribe surfaces through the iteration; `ready` is for callers who await it.
    this.ready = ready.catch((error: unknown) => {
      this.#end(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
    this.ready.catch(() => undefined);
    const { signal } = options;
    if (signal?.aborted) this.close();
    else if (signal) {
      const onAbort = (): void => this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
  }

  /** Whether it still receives messages. */
  get active(): boolean {
    return !this.#ended;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<string>> {
    if (this.#buffer.length > 0) return { value: this.#buffer.shift()!, done: false };
    if (this.#ended) return this.#finish();
    await this.ready.catch(() => undefined);
    if (this.#buffer.length > 0) return { value: this.#buffer.shift()!, done: false };
    if (this.#ended) return this.#finish();
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }

  /** Called by `for await` when the loop stops early: the subscription ends. */
  async return(): Promise<IteratorResult<string>> {
    this.close();
    return { value: undefined, done: true };
  }

  /** Stop receiving; a pending `next()` resolves as done. Messages already buffered are dropped. */
  close(): void {
    this.#buffer.length = 0;
    this.#end();
  }

  /** `await using subscription = broadcast.subscribe(channel)`: closed when the block ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  #deliver(message: string): void {
    if (this.#ended) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = null;
      waiter.resolve({ value: message, done: false });
      return;
    }
    if (this.#buffer.length >= this.#bufferSize) {
      this.#buffer.length = 0;
      this.#end(new SlowSubscriberError(`the subscriber to '${this.channel}' fell ${this.#bufferSize} messages behind and was dropped: read faster, or raise subscribe(channel, { bufferSize })`));
      return;
    }
    this.#buffer.push(message);
  }

  #end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error ?? null;
    this.#removeAbortListener?.();
    this.#removeAbortListener = null;
    const detach = this.#detach;
    this.#detach = null;
    detach?.();
    const waiter = this.#waiter;
    this.#waiter = null;
    if (waiter) {
      if (this.#error) waiter.reject(this.#error);
      else waiter.resolve({ value: undefined, done: true });
      this.#error = null;
    }
  }

  /** Done, or the error that ended it (thrown once). */
  #finish(): IteratorResult<string> {
    const error = this.#error;
    this.#error = null;
    if (error) throw error;
    return { value: undefined, done: true };
  }
}
