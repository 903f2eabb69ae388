import {
  AsyncQueue,
  gatewayInfo,
  LifespanCycleRules,
  type App,
  type LifespanReceiveEvent,
  type LifespanScope,
  type Receive,
  type Send,
  type State,
} from '@portico/protocol';
import { LifespanShutdownError, LifespanStartupError } from './errors';
import type { Logger } from './logger';

/** `auto`: run it, and serve on if the app does not support it; `on`: an app that throws on it fails startup; `off`: skip. */
export type LifespanMode = 'auto' | 'on' | 'off';

/**
 * The lifespan of one app, shared by every host: startup before the first request, shutdown after
 * the last. `state` is what startup stored; each request scope gets a shallow copy of it.
 */
export interface Lifespan {
  readonly state: State;
  /** Rejects with `LifespanStartupError` when the app reports (or, in `on` mode, causes) a failure. */
  startup(): Promise<void>;
  /** Rejects with `LifespanShutdownError` when the app reports a failed shutdown. */
  shutdown(): Promise<void>;
}

/** Lifespan `off`: the null object. */
class LifespanOff implements Lifespan {
  readonly state: State = {};
  async startup(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

type Outcome =
  | { kind: 'complete' }
  | { kind: 'failed'; message: string }
  | { kind: 'returned' }
  | { kind: 'threw'; error: unknown };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Lifespan `auto` or `on`: one call of the app with the lifespan scope, for the server's lifetime. */
class LifespanOn implements Lifespan {
  readonly state: State = {};
  readonly #app: App;
  readonly #mode: 'auto' | 'on';
  readonly #logger: Logger;
  readonly #rules = new LifespanCycleRules();
  readonly #inbox = new AsyncQueue<LifespanReceiveEvent>();
  #waiter: ((outcome: Outcome) => void) | undefined;
  /** How the app call ended, once it has. */
  #ended: Outcome | undefined;
  #started = false;

  constructor(app: App, mode: 'auto' | 'on', logger: Logger) {
    this.#app = app;
    this.#mode = mode;
    this.#logger = logger;
  }

  async startup(): Promise<void> {
    this.#logger.info('Waiting for application startup.');
    const scope: LifespanScope = { type: 'lifespan', gateway: gatewayInfo, state: this.state };
    const outcome = this.#next();
    // Through a promise's executor: an app that is a plain function may throw, or return no promise.
    void new Promise<void>((resolve) => resolve(this.#app(scope, this.#receive, this.#send))).then(
      () => this.#end({ kind: 'returned' }),
      (error: unknown) => this.#end({ kind: 'threw', error }),
    );
    this.#deliver({ type: 'lifespan.startup' });
    const result = await outcome;
    switch (result.kind) {
      case 'complete':
        this.#started = true;
        this.#logger.info('Application startup complete.');
        return;
      case 'failed':
        this.#logger.error(`Application startup failed: ${result.message}`);
        throw new LifespanStartupError(`Application startup failed: ${result.message}`);
      case 'returned':
        // As uvicorn does in both modes: only a throw fails 'on'; an app that returns has no lifespan work.
        if (this.#mode === 'on') this.#logger.info("The app returned on the lifespan scope without sending 'lifespan.startup.complete': it has no lifespan work; serving on.");
        else this.#logger.debug('The app returned on the lifespan scope: it has no lifespan work to do.');
        return;
      case 'threw':
        if (this.#mode === 'on') {
          this.#logger.error("Exception in 'lifespan' protocol", result.error);
          throw new LifespanStartupError(`Application startup failed: the app threw during lifespan startup: ${messageOf(result.error)}`);
        }
        this.#logger.info(`Lifespan unsupported: the app threw on the lifespan scope (${messageOf(result.error)}); serving without it.`);
        return;
    }
  }

  async shutdown(): Promise<void> {
    if (!this.#started || this.#ended !== undefined) return;
    this.#logger.info('Waiting for application shutdown.');
    const outcome = this.#next();
    this.#deliver({ type: 'lifespan.shutdown' });
    const result = await outcome;
    switch (result.kind) {
      case 'complete':
      case 'returned':
        this.#logger.info('Application shutdown complete.');
        return;
      case 'failed':
        this.#logger.error(`Application shutdown failed: ${result.message}`);
        throw new LifespanShutdownError(`Application shutdown failed: ${result.message}`);
      case 'threw':
        this.#logger.error("Exception in 'lifespan' protocol", result.error);
        throw new LifespanShutdownError(`Application shutdown failed: the app threw: ${messageOf(result.error)}`);
    }
  }

  #deliver(event: LifespanReceiveEvent): void {
    this.#rules.received(event);
    this.#inbox.push(event);
  }

  /** The outcome of the event about to be delivered: the app's answer, or its return. */
  #next(): Promise<Outcome> {
    if (this.#ended) return Promise.resolve(this.#ended);
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  #settle(outcome: Outcome): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(outcome);
  }

  #end(outcome: Outcome): void {
    this.#ended = outcome;
    if (this.#waiter) this.#settle(outcome);
    else if (outcome.kind === 'threw') this.#logger.error("Exception in 'lifespan' protocol", outcome.error);
  }

  readonly #receive: Receive = () => this.#inbox.shift();

  readonly #send: Send = async (event) => {
    const lifespanEvent = this.#rules.sent(event);
    switch (lifespanEvent.type) {
      case 'lifespan.startup.complete':
      case 'lifespan.shutdown.complete':
        this.#settle({ kind: 'complete' });
        return;
      case 'lifespan.startup.failed':
      case 'lifespan.shutdown.failed':
        this.#settle({ kind: 'failed', message: lifespanEvent.message });
        return;
    }
  };
}

/**
 * The lifespan for a mode; `off` gets a null object, so hosts never check the mode.
 *
 * @example
 * const lifespan = createLifespan(app, 'auto', logger);
 * await lifespan.startup();
 * // ... serve, giving each request { ...lifespan.state } ...
 * await lifespan.shutdown();
 */
export function createLifespan(app: App, mode: LifespanMode, logger: Logger): Lifespan {
  return mode === 'off' ? new LifespanOff() : new LifespanOn(app, mode, logger);
}
