import { AccessLog } from './access-log';
import type { CycleSettings, HttpCycle } from './cycle/http-cycle';
import type { HostContext } from './host';
import { TrustedProxies } from './proxy-headers';

/**
 * Decides, for every request of one host (HTTP/1.1 requests and HTTP/2 streams alike), whether it
 * runs: `limitConcurrency` (503 above it) and `limitMaxRequests` are counted here, once per host.
 * Also holds what every cycle of the host shares, and waits out the graceful shutdown.
 *
 * @example
 * const admission = new RequestAdmission(context);
 * admission.admit(new HttpCycle(scope, transport, admission.cycleSettings));
 */
export class RequestAdmission {
  readonly cycleSettings: CycleSettings;
  /** The peers whose proxy headers are believed; null with `proxyHeaders: false`. */
  readonly trusted: TrustedProxies | null;
  readonly #context: HostContext;
  #active = 0;
  #accepted = 0;

  constructor(context: HostContext) {
    this.#context = context;
    const { config, logger } = context;
    this.cycleSettings = {
      logger,
      accessLog: config.accessLog && logger.enabled('info') ? new AccessLog(logger) : null,
      maxBodySize: config.maxBodySize,
    };
    this.trusted = config.proxyHeaders ? new TrustedProxies(config.forwardedAllowIps) : null;
  }

  /** Run the cycle's app, or answer 503 over `limitConcurrency`; counts `limitMaxRequests`. */
  admit(cycle: HttpCycle): void {
    const { config } = this.#context;
    if (config.limitConcurrency !== undefined && this.#active >= config.limitConcurrency) {
      cycle.reject(503);
      return;
    }
    this.#active++;
    void cycle.run(this.#context.app, this.#onCycleDone);
    if (config.limitMaxRequests !== undefined && ++this.#accepted === config.limitMaxRequests) {
      this.#context.logger.warning(`Maximum request limit of ${config.limitMaxRequests} reached.`);
      this.#context.onRequestLimit();
    }
  }

  /**
   * Wait for `closed` (every connection gone) for up to `gracefulMs`; past that, log how many
   * requests are still running and `cut` the connections.
   */
  async closeWithin(closed: Promise<void>, gracefulMs: number, cut: () => void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, gracefulMs, true)));
    if (await Promise.race([closed.then(() => false), timedOut])) {
      this.#context.logger.warning(`Graceful shutdown timed out after ${gracefulMs / 1000} s; closing ${this.#active} request(s) still running.`);
      cut();
    }
    clearTimeout(timer);
    await closed;
  }

  readonly #onCycleDone = (): void => {
    this.#active--;
  };
}
