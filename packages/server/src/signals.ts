import type { Logger } from './logger';

/** Anything that stops gracefully: a `Server`, or the CLI's worker supervisor. */
export interface Stoppable {
  readonly logger: Logger;
  close(): Promise<void>;
  /** Called on the forcing signal, just before the process exits (to kill child processes). */
  terminate?(): void;
}

/**
 * The first of these signals starts a graceful stop; a second one forces the process to exit
 * (code 1) without waiting. Returns a function that removes the handlers.
 *
 * @example
 * const stopHandling = handleSignals(server, ['SIGINT', 'SIGTERM']);
 * await server.closed;
 * stopHandling();
 */
export function handleSignals(target: Stoppable, signals: readonly NodeJS.Signals[]): () => void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received += 1;
    if (received === 1) {
      target.logger.info(`Received ${signal}: finishing in-flight requests (send it again to quit now)`);
      void target.close().catch(() => undefined); // close() failures are logged where they happen
      return;
    }
    target.logger.warning(`Received ${signal} again: forced exit`);
    target.terminate?.();
    process.exit(1);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
