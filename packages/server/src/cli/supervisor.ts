import cluster, { type Address, type Worker } from 'node:cluster';
import { dirname, resolve } from 'node:path';
import { describeAddress, type ListenScheme } from '../host';
import type { Logger } from '../logger';
import { handleSignals, type Stoppable } from '../signals';
import { splitAppSpec } from './load-app';
import { SourceWatcher, WatchFilter } from './watcher';

export interface SupervisorOptions {
  workers: number;
  reload: boolean;
  scheme: ListenScheme;
  /** The app spec from the command line; with `reload`, its folder is watched unless `watch.dirs` names others. */
  app: string;
  /** `--reload-dir`, `--reload-include`, `--reload-exclude`. */
  watch?: { dirs: readonly string[]; include: readonly string[]; exclude: readonly string[] };
}

const RELOAD_DEBOUNCE_MS = 100;
/** A worker sends this when it reached `limitMaxRequests`; it keeps serving until replaced. */
export const REQUEST_LIMIT_MESSAGE = 'portico:request-limit';

/**
 * The primary process of `--workers N` and `--reload`: it serves nothing itself. It forks the
 * workers (each runs the same command line and a `Server`; node:cluster shares the listening
 * socket), replaces a worker that dies after it started, restarts them all when a source file
 * changes, and on SIGINT/SIGTERM asks every worker to stop gracefully (a second signal kills them).
 *
 * @example
 * const code = await new Supervisor({ workers: 4, reload: false, scheme: 'http', app: 'app.js' }, logger).run();
 */
export class Supervisor implements Stoppable {
  readonly logger: Logger;
  readonly #options: SupervisorOptions;
  readonly #workers = new Set<Worker>();
  readonly #listening = new WeakSet<Worker>();
  /** Workers asked to stop (a reload, a request limit): their exit is expected. */
  readonly #retiring = new WeakSet<Worker>();
  /** A starting worker → the one it replaces once it listens. */
  readonly #replacing = new Map<Worker, Worker>();
  #watcher: SourceWatcher | null = null;
  #stopping = false;
  #announced = false;
  #exitCode = 0;
  #finished!: (code: number) => void;

  constructor(options: SupervisorOptions, logger: Logger) {
    this.#options = options;
    this.logger = logger;
  }

  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.#finished = resolve));
    const { workers, reload } = this.#options;
    if (reload) {
      const { dirs = [], include = [], exclude = [] } = this.#options.watch ?? {};
      const folders = dirs.length > 0 ? dirs.map((dir) => resolve(dir)) : [dirname(resolve(splitAppSpec(this.#options.app).module))];
      this.logger.info(`Started reloader process [${process.pid}] watching ${folders.join(', ')}`);
      this.#watcher = new SourceWatcher(folders, new WatchFilter({ include, exclude }), RELOAD_DEBOUNCE_MS, (files) => this.#reload(files));
    } else {
      this.logger.info(`Started parent process [${process.pid}]`);
    }
    cluster.on('listening', this.#onListening);
    cluster.on('exit', this.#onExit);
    cluster.on('message', this.#onMessage);
    const stopHandling = handleSignals(this, ['SIGINT', 'SIGTERM']);
    void done.then(stopHandling);
    this.#fork(workers);
    return done;
  }

  /** Ask every worker to stop gracefully; resolves when all have exited. */
  async close(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#watcher?.close();
    this.logger.info('Stopping the workers');
    for (const worker of this.#workers) worker.process.kill('SIGTERM');
    this.#finishIfIdle();
  }

  terminate(): void {
    for (const worker of this.#workers) worker.process.kill('SIGKILL');
  }

  #fork(count: number): Worker[] {
    const forked = Array.from({ length: count }, () => cluster.fork());
    for (const worker of forked) this.#workers.add(worker);
    return forked;
  }

  /** Stop a worker gracefully; its exit is expected. */
  #retire(worker: Worker): void {
    this.#retiring.add(worker);
    worker.process.kill('SIGTERM');
  }

  #reload(files: string[]): void {
    if (this.#stopping) return;
    this.logger.warning(`Detected changes in ${files.join(', ')}. Reloading...`);
    this.#announced = false;
    const old = [...this.#workers];
    for (const worker of old) this.#retire(worker);
    if (old.length === 0) this.#fork(this.#options.workers); // the last start failed: try the new code
  }

  /** A worker reached its request limit: start its replacement, and stop it once that one listens. */
  readonly #onMessage = (worker: Worker, message: unknown): void => {
    if (message !== REQUEST_LIMIT_MESSAGE || this.#stopping || this.#retiring.has(worker)) return;
    this.logger.info(`Worker [${worker.process.pid}] reached its request limit; starting its replacement.`);
    const [replacement] = this.#fork(1) as [Worker];
    this.#replacing.set(replacement, worker);
  };

  readonly #onListening = (worker: Worker, address: Address): void => {
    this.#listening.add(worker);
    this.logger.info(`Worker [${worker.process.pid}] is serving.`);
    const replaced = this.#replacing.get(worker);
    this.#replacing.delete(worker);
    if (replaced !== undefined && this.#workers.has(replaced)) this.#retire(replaced);
    if (this.#announced) return;
    this.#announced = true;
    const where =
      address.addressType === -1
        ? describeAddress(this.#options.scheme, { kind: 'unix', path: String(address.address) })
        : describeAddress(this.#options.scheme, {
            kind: 'tcp',
            host: address.address ?? '0.0.0.0',
            port: address.port ?? 0,
            family: address.addressType === 6 ? 'IPv6' : 'IPv4',
          });
    this.logger.info(`Portico running on ${where} (Press CTRL+C to quit)`);
  };

  readonly #onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    this.#workers.delete(worker);
    this.#replacing.delete(worker);
    const pid = worker.process.pid;
    if (this.#stopping) {
      this.#finishIfIdle();
      return;
    }
    if (this.#retiring.has(worker)) {
      if (this.#workers.size === 0) this.#fork(this.#options.workers);
      return;
    }
    if (!this.#listening.has(worker)) {
      if (this.#options.reload) {
        this.logger.error(`Worker [${pid}] failed to start; waiting for a change to try again.`);
        return;
      }
      this.logger.error(`Worker [${pid}] failed to start; stopping.`);
      this.#exitCode = 1;
      void this.close();
      return;
    }
    const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
    this.logger.warning(`Worker [${pid}] ${how}; starting a new one.`);
    this.#fork(1);
  };

  #finishIfIdle(): void {
    if (this.#workers.size > 0) return;
    cluster.off('listening', this.#onListening);
    cluster.off('exit', this.#onExit);
    cluster.off('message', this.#onMessage);
    this.#finished(this.#exitCode);
  }
}
