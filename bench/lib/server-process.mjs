// @ts-check
/**
 * One contender's server: its own process on 127.0.0.1 and a free port, pinned to the
 * server core, with its memory read from /proc/<pid>/status.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 3_000;
const KEPT_OUTPUT = 4_000;
/** Units of the CPU times in /proc/<pid>/stat (USER_HZ): 100 on every mainstream Linux. */
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** Thrown when a contender's process dies or never listens: the case failed, it was not skipped. */
export class ServerStartError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ServerStartError';
  }
}

/** A port nobody listens on right now (the kernel picks it). */
async function freePort() {
  const probe = createServer();
  probe.listen(0, HOST);
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

/** @param {number} port */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** @param {string} status the text of /proc/<pid>/status @param {string} field */
function kibField(status, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match?.[1] === undefined ? null : Number(match[1]) * 1024;
}

export class ServerProcess {
  #child;
  #output = '';
  #exited = false;
  /** @type {Promise<void>} */
  #exit;
  /** @type {number} */
  port;

  /**
   * @param {import('node:child_process').ChildProcess} child
   * @param {number} port
   */
  constructor(child, port) {
    this.#child = child;
    this.port = port;
    const keep = (/** @type {Buffer} */ chunk) => {
      this.#output = (this.#output + chunk.toString()).slice(-KEPT_OUTPUT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exit = new Promise((resolve) => {
      const gone = () => {
        this.#exited = true;
        resolve();
      };
      child.once('exit', gone);
      child.once('error', (error) => {
        keep(Buffer.from(String(error)));
        gone();
      });
    });
  }

  /**
   * Starts a contender and waits until it accepts connections.
   *
   * @example
   * const server = await ServerProcess.start(contender.command, { routes: 0, prefix: pinning.server });
   * // ... measure ...
   * await server.stop();
   *
   * @param {readonly string[]} command
   * @param {{ routes: number, prefix: readonly string[] }} options
   */
  static async start(command, { routes, prefix }) {
    const port = await freePort();
    const [file, ...args] = [...prefix, ...command];
    if (file === undefined) throw new ServerStartError('empty command');
    const env = {
      ...process.env,
      PORT: String(port),
      BENCH_ROUTES: String(routes),
      NODE_ENV: 'production',
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, port);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await accepts(port))) {
      if (server.#exited) throw new ServerStartError(`exited before listening:\n${server.#output.trim()}`);
      if (Date.now() > deadline) {
        await server.stop();
        throw new ServerStartError(`not listening after ${READY_TIMEOUT_MS} ms:\n${server.#output.trim()}`);
      }
      await sleep(50);
    }
    return server;
  }

  get url() {
    return `http://${HOST}:${this.port}`;
  }

  /** The server's process id: `taskset` and `valgrind` run the command in their own process. */
  get pid() {
    return this.#child.pid;
  }

  get alive() {
    return !this.#exited;
  }

  /** What the process printed last (for a failure report). */
  get output() {
    return this.#output.trim();
  }

  #status() {
    try {
      return readFileSync(`/proc/${this.#child.pid}/status`, 'utf8');
    } catch {
      return ''; // no /proc (not Linux) or the process is gone
    }
  }

  /** Resident memory now, in bytes; null where /proc cannot tell. */
  rss() {
    return kibField(this.#status(), 'VmRSS');
  }

  /**
   * CPU time the process has used so far (all its threads, user and system), in seconds; null
   * where /proc cannot tell. Unlike req/s, CPU time per request barely moves when other work
   * shares the machine.
   */
  cpuSeconds() {
    try {
      const stat = readFileSync(`/proc/${this.#child.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      return null;
    }
  }

  /** Peak resident memory since start or since the last `resetPeakRss()`, in bytes. */
  peakRss() {
    return kibField(this.#status(), 'VmHWM');
  }

  /**
   * Lowers the peak to the current RSS (Linux `clear_refs` 5), so that a scenario's peak
   * is its own and not an earlier scenario's. Answers false where that is not possible.
   */
  resetPeakRss() {
    try {
      writeFileSync(`/proc/${this.#child.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** Asks the process to end and kills it if it has not within a few seconds. */
  async stop() {
    if (this.#exited) return;
    this.#child.kill('SIGTERM');
    const patience = new AbortController();
    const killLater = sleep(STOP_TIMEOUT_MS, undefined, { signal: patience.signal }).then(
      () => this.#child.kill('SIGKILL'),
      () => undefined,
    );
    await this.#exit;
    patience.abort();
    await killLater;
  }
}
