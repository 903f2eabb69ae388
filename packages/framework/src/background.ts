/**
 * Work that runs after a response's body has been sent: the client has its answer and does not
 * wait for the email to go out or the audit line to be written.
 */

import { describeValue } from './arguments';

/** One or more background tasks failed; thrown after every task ran, so the host logs it. */
export class BackgroundTaskError extends Error {
  override readonly name = 'BackgroundTaskError';
  /** Each failed task's name and what it threw, in task order. */
  readonly failures: ReadonlyArray<{ task: string; error: unknown }>;

  constructor(failures: ReadonlyArray<{ task: string; error: unknown }>) {
    const described = failures.map(({ task, error }) => `${task}: ${error instanceof Error ? error.message : String(error)}`);
    super(`${failures.length === 1 ? 'a background task' : `${failures.length} background tasks`} failed after the response was sent (${described.join('; ')})`, {
      cause: failures[0]?.error,
    });
    this.failures = failures;
  }
}

/** Anything a response can run after its body: a BackgroundTask or BackgroundTasks. */
export interface Runnable {
  readonly name: string;
  run(): Promise<void>;
}

/**
 * A function and its arguments, called after the response is sent.
 *
 * @example
 * return new JSONResponse({ ok: true }, { background: new BackgroundTask(sendWelcomeEmail, user.email) });
 */
export class BackgroundTask<Args extends unknown[] = unknown[]> implements Runnable {
  readonly #fn: (...args: Args) => unknown;
  readonly #args: Args;

  constructor(fn: (...args: Args) => unknown, ...args: Args) {
    if (typeof fn !== 'function') throw new TypeError(`new BackgroundTask(fn, ...args) takes the function to call after the response, got ${describeValue(fn)}`);
    this.#fn = fn;
    this.#args = args;
  }

  /** The function's name, for error messages. */
  get name(): string {
    return this.#fn.name || 'anonymous task';
  }

  /** Call the function; a failure is a BackgroundTaskError naming the task. */
  async run(): Promise<void> {
    try {
      await this.#fn(...this.#args);
    } catch (error) {
      throw new BackgroundTaskError([{ task: this.name, error }]);
    }
  }
}

/**
 * Several tasks, run one after the other in the order they were added. A task that fails does
 * not stop the ones after it; once all have run, the failures are thrown together as one
 * BackgroundTaskError, which the host logs (the response was complete before any task started,
 * so it is not affected).
 *
 * @example
 * const tasks = new BackgroundTasks();
 * tasks.add(sendWelcomeEmail, user.email);
 * tasks.add(writeAuditLog, 'signup', user.id);
 * return new JSONResponse(user, { status: 201, background: tasks });
 */
export class BackgroundTasks implements Runnable {
  readonly name = 'background tasks';
  readonly #tasks: Runnable[] = [];

  constructor(tasks: Iterable<Runnable> = []) {
    const given: unknown = tasks;
    if (typeof given !== 'object' || given === null || !(Symbol.iterator in given)) {
      throw new TypeError(`new BackgroundTasks(tasks) takes a list of BackgroundTask, got ${describeValue(given)}`);
    }
    for (const task of tasks) {
      if (typeof (task as Partial<Runnable> | null)?.run !== 'function') {
        const hint = typeof task === 'function' ? ' (wrap a function: new BackgroundTask(fn, ...args), or tasks.add(fn, ...args))' : '';
        throw new TypeError(`new BackgroundTasks(tasks) takes a list of BackgroundTask, got ${describeValue(task)} in it${hint}`);
      }
      this.#tasks.push(task);
    }
  }

  /** Queue `fn(...args)` after the tasks already added. */
  add<Args extends unknown[]>(fn: (...args: Args) => unknown, ...args: Args): this {
    this.#tasks.push(new BackgroundTask(fn, ...args));
    return this;
  }

  get size(): number {
    return this.#tasks.length;
  }

  async run(): Promise<void> {
    const failures: Array<{ task: string; error: unknown }> = [];
    for (const task of this.#tasks) {
      try {
        await task.run();
      } catch (error) {
        if (error instanceof BackgroundTaskError) failures.push(...error.failures);
        else failures.push({ task: task.name, error });
      }
    }
    if (failures.length > 0) throw new BackgroundTaskError(failures);
  }
}

/** What a response's `background` option takes: a task, a collection, or a plain function. */
export type Background = Runnable | (() => unknown);

/** Run a response's background work. */
export async function runBackground(background: Background): Promise<void> {
  if (typeof background === 'function') await background();
  else await background.run();
}
