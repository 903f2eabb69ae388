import type { LifespanReceive, LifespanScope, LifespanSend, State } from '@portico/protocol';

/** What a lifespan function may return. */
export interface LifespanResult {
  /** Merged into the lifespan state: every request sees it as `request.state`. */
  state?: State;
  /** Runs at shutdown (close the pool you opened, flush the logs). */
  cleanup?: () => unknown;
}

/**
 * Runs at startup with the app; what it returns lives as long as the server.
 *
 * @example
 * const lifespan: Lifespan<App> = async () => {
 *   const db = await openDatabase();
 *   return { state: { db }, cleanup: () => db.close() };
 * };
 */
export type Lifespan<A> = (app: A) => Promise<LifespanResult | void> | LifespanResult | void;

/**
 * Answer one lifespan scope: startup runs `startup` and reports `lifespan.startup.failed` with
 * the error's message if it throws; shutdown runs the cleanup it returned.
 */
export async function runLifespan(scope: LifespanScope, receive: LifespanReceive, send: LifespanSend, startup?: () => ReturnType<Lifespan<unknown>>): Promise<void> {
  const first = await receive();
  let cleanup: (() => unknown) | undefined;
  if (first.type === 'lifespan.startup') {
    try {
      const result = (await startup?.()) ?? undefined;
      if (result?.state) Object.assign(scope.state, result.state);
      cleanup = result?.cleanup;
    } catch (error) {
      await send({ type: 'lifespan.startup.failed', message: messageOf(error) });
      return;
    }
    await send({ type: 'lifespan.startup.complete' });
    await receive();
  }
  try {
    await cleanup?.();
  } catch (error) {
    await send({ type: 'lifespan.shutdown.failed', message: messageOf(error) });
    return;
  }
  await send({ type: 'lifespan.shutdown.complete' });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
