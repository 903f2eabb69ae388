import type { Logger } from './logger';

/**
 * A host's graceful shutdown: wait for `closed` (every connection gone) for up to `gracefulMs`;
 * past that, log how many requests are still running and `cut` what remains, then wait for it.
 *
 * @example
 * await closeWithin(closed, 30_000, () => server.closeAllConnections(), logger, () => admission.running);
 */
export async function closeWithin(closed: Promise<void>, gracefulMs: number, cut: () => void, logger: Logger, running: () => number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, gracefulMs, true)));
  if (await Promise.race([closed.then(() => false), timedOut])) {
    logger.warning(`Graceful shutdown timed out after ${gracefulMs / 1000} s; closing ${running()} request(s) still running.`);
    cut();
  }
  clearTimeout(timer);
  await closed;
}
