/**
 * The parent's handle on a soak server child: start it, ask what it holds, read its memory from
 * /proc (without disturbing it), stop it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerOptions } from '@portico/server';
import type { ChildMessage, ServerStats } from './messages';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export class ServerProcess {
  readonly #child: ChildProcess;
  readonly url: string;
  /** A fresh folder: the server's uploads and temp files (TMPDIR points here too). */
  readonly dir: string;
  #nextId = 0;
  #output = '';

  private constructor(child: ChildProcess, url: string, dir: string, output: string) {
    this.#child = child;
    this.url = url;
    this.dir = dir;
    this.#output = output;
    const keep = (chunk: Buffer): void => void (this.#output = (this.#output + chunk.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /**
   * @example
   * const server = await ServerProcess.start('soak', { timeoutHeaders: 5 });
   * const before = await server.stats();
   */
  static async start(app: 'notes' | 'chat' | 'soak', options: ServerOptions = {}, { trackTimers = false } = {}): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'portico-soak-'));
    const child = fork(join(__dirname, 'server-child.ts'), [], {
      execArgv: ['--expose-gc', '-r', join(__dirname, 'register.js')],
      env: { ...process.env, SOAK_APP: app, SOAK_OPTIONS: JSON.stringify(options), SOAK_DIR: dir, TMPDIR: dir, NODE_ENV: 'production', ...(trackTimers && { SOAK_TRACK_TIMERS: '1' }) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let output = '';
    const collect = (chunk: Buffer): void => void (output += chunk.toString());
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the ${app} server did not start in ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
        child.on('message', (message: ChildMessage) => {
          if (message.kind !== 'listening') return;
          clearTimeout(timer);
          resolve(message.url);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the ${app} server exited with ${code}:\n${output}`));
        });
      });
      child.stdout?.off('data', collect);
      child.stderr?.off('data', collect);
      return new ServerProcess(child, url, dir, output);
    } catch (error) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** What the server printed last (warnings, errors). */
  get output(): string {
    return this.#output.trim();
  }

  /** What the server holds now; `collect` runs the garbage collector first (for memory figures). */
  stats(collect = false): Promise<ServerStats> {
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not answer a stats request in 10 s')), 10_000);
      const listener = (message: ChildMessage): void => {
        if (message.kind !== 'stats' || message.id !== id) return;
        clearTimeout(timer);
        this.#child.off('message', listener);
        resolve(message.stats);
      };
      this.#child.on('message', listener);
      this.#child.send({ kind: 'stats', id, collect });
    });
  }

  #status(field: 'VmRSS' | 'VmHWM'): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    return Number(match?.[1]) * 1024;
  }

  /** Resident memory now, bytes, from /proc: costs the server nothing. */
  rss(): number {
    return this.#status('VmRSS');
  }

  /** CPU time the server has used so far (user + system, all threads), seconds. */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    // After the command name (which may hold spaces): utime and stime are the 12th and 13th fields, in clock ticks (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** Peak resident memory since `resetPeak()`, bytes. */
  peakRss(): number {
    return this.#status('VmHWM');
  }

  /** Lowers the peak to the current RSS (Linux clear_refs 5), so that the next peak is a test's own. */
  resetPeak(): void {
    writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
  }

  /** Closes the server (graceful), kills it if it lingers, removes its folder. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => (this.#child.exitCode !== null ? resolve() : this.#child.once('exit', () => resolve())));
    if (this.#child.connected) this.#child.send({ kind: 'stop' });
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
