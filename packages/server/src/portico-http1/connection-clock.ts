/** What the clock checks on each tick. */
export interface Timed {
  /** Act on any timeout that has run out by tick `now`. */
  check(now: number): void;
}

/**
 * One clock for every connection of a host, as Node checks its own HTTP timeouts: an unref'd
 * interval counts ticks and walks the connections, so a request pays for neither a timer nor a
 * clock read; it stamps its start with `now`, the count of ticks so far. Time is counted in ticks,
 * not read: a stamp may be up to a tick old, so `ticksFor` adds one, and a timeout never fires
 * early; an event loop held up (a long GC, a busy app) delays ticks and so only stretches it.
 *
 * @example
 * const clock = new ConnectionClock(connections, 250);
 * clock.start(); // ... clock.stop();
 */
export class ConnectionClock {
  readonly periodMs: number;
  /** Ticks so far. */
  now = 0;
  readonly #timed: ReadonlySet<Timed>;
  #timer: NodeJS.Timeout | null = null;

  constructor(timed: ReadonlySet<Timed>, periodMs: number) {
    this.#timed = timed;
    this.periodMs = periodMs;
  }

  /** The ticks after a stamp at which `ms` have surely passed. */
  ticksFor(ms: number): number {
    return Math.ceil(ms / this.periodMs) + 1;
  }

  start(): void {
    this.#timer ??= setInterval(this.#tick, this.periodMs).unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  readonly #tick = (): void => {
    const now = ++this.now;
    for (const timed of this.#timed) timed.check(now);
  };
}
