import type { WebSocketServerEvent } from '@portico/protocol';

/** What the queue pauses and resumes: the socket the messages come from. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * The events waiting for the app's `receive()`. Bounded: once `limit` messages wait, the source
 * is paused (the kernel's buffers fill and TCP slows the client down) until the app catches up,
 * so a fast client cannot grow the server's memory without limit.
 */
export class ReceiveQueue {
  readonly #items: WebSocketServerEvent[] = [];
  readonly #waiters: Array<(event: WebSocketServerEvent) => void> = [];
  readonly #limit: number;
  #source: Pausable | null = null;
  #paused = false;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The socket to pause while the app is behind. */
  attach(source: Pausable): void {
    this.#source = source;
  }

  push(event: WebSocketServerEvent): void {
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) {
      waiter(event);
      return;
    }
    this.#items.push(event);
    if (!this.#paused && this.#items.length >= this.#limit && this.#source !== null) {
      this.#paused = true;
      this.#source.pause();
    }
  }

  shift(): Promise<WebSocketServerEvent> {
    const item = this.#items.shift();
    if (item === undefined) return new Promise((resolve) => this.#waiters.push(resolve));
    if (this.#paused && this.#items.length < this.#limit) {
      this.#paused = false;
      this.#source?.resume();
    }
    return Promise.resolve(item);
  }
}
