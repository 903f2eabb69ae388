import { AsyncQueue } from './async-queue';
import type { App, ReceiveEvent, Scope, SendEvent } from './types';

/** Thrown when the app under a harness does not act within the timeout. */
export class HarnessTimeoutError extends Error {
  override readonly name = 'HarnessTimeoutError';
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/**
 * Drive one app call in memory, without any server: feed it events, read what it sends.
 * The protocol's equivalent of asgiref's ApplicationCommunicator.
 *
 * @example
 * const harness = new AppHarness(app, httpScope({ path: '/' }));
 * harness.sendInput({ type: 'http.request', body: new Uint8Array(), moreBody: false });
 * const start = await harness.receiveOutput(); // { type: 'http.response.start', status: 200, ... }
 */
export class AppHarness {
  readonly #input = new AsyncQueue<ReceiveEvent>();
  readonly #output: SendEvent[] = [];
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #outcome: Outcome | undefined;

  constructor(
    private readonly app: App,
    readonly scope: Scope,
    private readonly timeoutMs = 1000,
  ) {}

  /** Queue an event for the app's next `receive()`. Starts the app if it is not running. */
  sendInput(event: ReceiveEvent): void {
    this.#start();
    this.#input.push(event);
  }

  /**
   * The next event the app sent. When the app has finished instead, rethrows its error, or
   * throws because it returned without sending anything more.
   */
  async receiveOutput(timeoutMs = this.timeoutMs): Promise<SendEvent> {
    this.#start();
    if (!(await this.#settle(timeoutMs))) throw new HarnessTimeoutError(`the app sent nothing within ${timeoutMs} ms`);
    const event = this.#output.shift();
    if (event) return event;
    if (this.#outcome?.ok === false) throw this.#outcome.error;
    throw new Error('the app returned without sending another event');
  }

  /** True when the app sends nothing within the timeout. */
  async receiveNothing(timeoutMs = 50): Promise<boolean> {
    this.#start();
    return !(await this.#settle(timeoutMs)) || (this.#output.length === 0 && this.#outcome?.ok === true);
  }

  /** Wait for the app to return; rethrows what it threw. */
  async wait(timeoutMs = this.timeoutMs): Promise<void> {
    this.#start();
    while (!this.#outcome) {
      if (!(await this.#changed(timeoutMs))) throw new HarnessTimeoutError(`the app did not return within ${timeoutMs} ms`);
    }
    if (!this.#outcome.ok) throw this.#outcome.error;
  }

  /** The app has returned or thrown. */
  get done(): boolean {
    return this.#outcome !== undefined;
  }

  #start(): void {
    this.#running ??= this.app(
      this.scope,
      () => this.#input.shift(),
      async (event) => {
        this.#output.push(event);
        this.#wake?.();
      },
    ).then(
      () => this.#finish({ ok: true }),
      (error: unknown) => this.#finish({ ok: false, error }),
    );
  }

  #finish(outcome: Outcome): void {
    this.#outcome = outcome;
    this.#wake?.();
  }

  /** Wait until there is output or an outcome; false on timeout. */
  async #settle(timeoutMs: number): Promise<boolean> {
    if (this.#output.length > 0 || this.#outcome) return true;
    return this.#changed(timeoutMs);
  }

  #changed(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve(false);
      }, timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve(true);
      };
    });
  }
}
