import type { HttpScope } from '@portico/protocol';
import { HttpCycle } from './cycle/http-cycle';
import { cycleSettings, type CycleSettings } from './cycle/settings';
import type { HttpTransport } from './cycle/transport';
import { nodeFiles } from './file-body';
import type { HostContext } from './host';

/**
 * Decides, for every request of one host (HTTP/1.1 requests, HTTP/2 streams, FastCGI requests and
 * WebSocket upgrades alike), whether it runs: `limitConcurrency` (503 above it) and
 * `limitMaxRequests` (the server stops after that many) are counted here, once per host.
 *
 * @example
 * const admission = new RequestAdmission(context);
 * admission.admit(scope, transport); // runs the app in an HttpCycle, or answers 503
 */
export class RequestAdmission {
  readonly #context: HostContext;
  readonly #settings: CycleSettings;
  #running = 0;
  #accepted = 0;

  /** `settings`: what the cycles share; by default from the host's config, with files from `node:fs`. */
  constructor(context: HostContext, settings: CycleSettings = cycleSettings(context.config, context.logger, nodeFiles)) {
    this.#context = context;
    this.#settings = settings;
  }

  /** Requests (and WebSocket connections) running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * Serve one HTTP request: run the app in an `HttpCycle` over `transport`, or answer 503 over
   * `limitConcurrency`. `done` runs once the app is done (not after a 503).
   */
  admit(scope: HttpScope, transport: HttpTransport, done?: () => void): void {
    const cycle = new HttpCycle(scope, transport, this.#settings);
    if (!this.#take()) {
      cycle.reject(503);
      return;
    }
    void cycle.run(this.#context.app, done === undefined ? this.leave : () => (this.leave(), done()));
    this.#count();
  }

  /**
   * Take a place for a request served outside an `HttpCycle` (a WebSocket connection): false over
   * `limitConcurrency` (the caller answers 503), else it counts towards `limitMaxRequests`, and
   * `leave()` gives the place back.
   */
  enter(): boolean {
    if (!this.#take()) return false;
    this.#count();
    return true;
  }

  readonly leave = (): void => {
    this.#running--;
  };

  #take(): boolean {
    const limit = this.#context.config.limitConcurrency;
    if (limit !== undefined && this.#running >= limit) return false;
    this.#running++;
    return true;
  }

  /** Counted once the request runs, so that the server's stop never comes before it. */
  #count(): void {
    const limit = this.#context.config.limitMaxRequests;
    if (limit !== undefined && ++this.#accepted === limit) {
      this.#context.logger.warning(`Maximum request limit of ${limit} reached.`);
      this.#context.onRequestLimit();
    }
  }
}
