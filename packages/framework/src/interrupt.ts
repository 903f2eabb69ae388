type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A long-lived event (the client leaving, a response being dropped) that many short waits race
 * against, one after another. `Promise.race([wait, event])` in a loop adds a reaction to the event
 * on every call, and each reaction holds its race's promise, settled with the value it delivered
 * (a body chunk), until the event settles: a streamed body stayed in memory whole. Here the event
 * has one reaction, and a finished wait leaves nothing behind.
 *
 * @example
 * const gone = new Interrupt(clientLeft);
 * for (;;) {
 *   const next = await gone.race(iterator.next()); // clientLeft's value if the client left first
 * }
 */
export class Interrupt<T> {
  #outcome: Outcome<T> | undefined;
  readonly #waiting = new Set<Waiter<T>>();

  constructor(event: PromiseLike<T>) {
    event.then(
      (value) => this.#settle({ ok: true, value }),
      (error: unknown) => this.#settle({ ok: false, error }),
    );
  }

  /** Settles as `wait` does, or as the event does if that happens first (or has already). */
  race<R>(wait: R | PromiseLike<R>): Promise<R | T> {
    const task = Promise.resolve(wait); // the same promise when it is one
    const outcome = this.#outcome;
    if (outcome !== undefined) {
      // As Promise.race would, handle a rejection of the wait that lost.
      task.then(undefined, () => undefined);
      return outcome.ok ? Promise.resolve(outcome.value) : Promise.reject(outcome.error);
    }
    return new Promise<R | T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject };
      this.#waiting.add(waiter);
      task.then(
        (value) => {
          this.#waiting.delete(waiter);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiting.delete(waiter);
          reject(error);
        },
      );
    });
  }

  #settle(outcome: Outcome<T>): void {
    this.#outcome = outcome;
    for (const waiter of this.#waiting) {
      if (outcome.ok) waiter.resolve(outcome.value);
      else waiter.reject(outcome.error);
    }
    this.#waiting.clear();
  }
}
