// @ts-check
/**
 * The runner's handle on the load generator's process (load-worker.mjs): one process for
 * the whole sitting, pinned to the load core, driven by messages.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./load-worker.mjs', import.meta.url));

/**
 * @typedef {import('./load-worker.mjs').LoadJob} LoadJob
 * @typedef {import('./load-worker.mjs').LoadResult} LoadResult
 */

export class LoadProcess {
  #child;
  #nextId = 0;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
  #pending = new Map();

  /**
   * @example
   * const load = new LoadProcess(pinning.load);
   * const result = await load.autocannon({ url, method: 'GET', withBody: false, connections: 100, pipelining: 10, durationSec: 5 });
   * load.close();
   *
   * @param {readonly string[]} prefix taskset in front of the command, or nothing
   */
  constructor(prefix) {
    const [file, ...args] = [...prefix, process.execPath, WORKER];
    if (file === undefined) throw new Error('empty command');
    this.#child = spawn(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.#child.on('message', (/** @type {{ id: number, result?: unknown, error?: string }} */ message) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error === undefined) pending?.resolve(message.result);
      else pending?.reject(new Error(message.error));
    });
    this.#child.once('exit', (code) => {
      for (const pending of this.#pending.values()) pending.reject(new Error(`the load process exited (${code})`));
      this.#pending.clear();
    });
  }

  /** @param {string} type @param {object} fields */
  #ask(type, fields = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ id, type, ...fields });
    });
  }

  /** @param {LoadJob} job @returns {Promise<LoadResult>} */
  autocannon(job) {
    return /** @type {Promise<LoadResult>} */ (this.#ask('load', { job }));
  }

  /**
   * Opens `count` keep-alive connections, each answered once, and keeps them open.
   *
   * @param {number} port @param {number} count
   * @returns {Promise<{ open: number }>}
   */
  openIdle(port, count) {
    return /** @type {Promise<{ open: number }>} */ (this.#ask('openIdle', { port, count }));
  }

  /** How many of the idle connections the server has not closed. @returns {Promise<{ open: number }>} */
  idleOpen() {
    return /** @type {Promise<{ open: number }>} */ (this.#ask('idleOpen'));
  }

  /** @returns {Promise<{ open: number }>} */
  closeIdle() {
    return /** @type {Promise<{ open: number }>} */ (this.#ask('closeIdle'));
  }

  close() {
    this.#child.disconnect();
  }
}
