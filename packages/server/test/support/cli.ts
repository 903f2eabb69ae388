import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, afterEach } from '@jest/globals';

export const SERVER_ROOT = resolve(__dirname, '..', '..');
export const REPO_ROOT = resolve(SERVER_ROOT, '..', '..');
export const FIXTURES = join(SERVER_ROOT, 'test', 'fixtures');
/** The CLI from source, compiled on the fly, so a test never runs a stale build. */
const ENTRY = join(SERVER_ROOT, 'src', 'cli', 'bin.ts');
const COMPILER = join(__dirname, 'swc-register.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PorticoProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from` (a position in it). */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  /** The origin from the startup line (`Portico running on http://127.0.0.1:PORT`), the first one after `from`. */
  origin(from?: number): Promise<string>;
  exited: Promise<Exit>;
}

export interface SpawnOptions {
  cwd?: string;
  stdio?: StdioOptions;
  /** Variables added to the child's environment (after the option variables were removed). */
  env?: Record<string, string>;
}

/** Variables the CLI reads as options: a test sets them on purpose, never by inheritance. */
const OPTION_VARIABLES = /^(PORTICO_(?!REQUIRE_SYSTEM_SERVERS$)[A-Z_]+|PORT|WEB_CONCURRENCY)$/;

/**
 * Returns `portico(args)`: runs the `portico` CLI in its own process group, and kills the group
 * (workers included) after each test.
 */
export function usePortico(): (args: string[], options?: SpawnOptions) => PorticoProcess {
  const running: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(
      running.splice(0).map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const gone = new Promise((resolve) => child.once('close', resolve));
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
        await gone;
      }),
    );
  });

  return (args, options = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    for (const name of Object.keys(env)) if (OPTION_VARIABLES.test(name)) delete env[name];
    Object.assign(env, options.env);
    const child = spawn(process.execPath, ['-r', COMPILER, ENTRY, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      detached: true,
      stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    let output = '';
    const listeners = new Set<() => void>();
    const append = (chunk: Buffer): void => {
      output += chunk.toString();
      for (const listener of listeners) listener();
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    // 'close' comes after the output streams ended, so nothing printed is missed.
    const exited = new Promise<Exit>((resolve) => child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })));

    const waitFor = (pattern: RegExp, from = 0): Promise<RegExpExecArray> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(output.slice(from));
          if (match === null) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
        void exited.then(() => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`portico exited before printing ${String(pattern)}; output:\n${output}`));
        });
      });

    return {
      child,
      output: () => output,
      waitFor,
      origin: async (from = 0) => (await waitFor(/Portico running on (\S+)/, from))[1] as string,
      exited,
    };
  };
}

/**
 * Returns `project(files)`: writes the files into a new folder under the system's temp folder
 * (outside this repository, so no package.json or tsconfig.json of ours applies), removed after
 * the test file. Returns the folder.
 */
export function useProjects(): (files: Record<string, string>) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), 'portico-project-'));
    made.push(dir);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
}

/** The source of an app answering `text` to every request, in TypeScript or plain JavaScript, as an ES or CommonJS module. */
export function appSource(text: string, { typescript = false, commonjs = false }: { typescript?: boolean; commonjs?: boolean } = {}): string {
  const signature = typescript
    ? '(scope: { type: string }, _receive: unknown, send: (event: object) => Promise<void>): Promise<void>'
    : '(scope, _receive, send)';
  return `${commonjs ? 'exports.app =' : 'export const app ='} async ${signature} => {
  if (scope.type !== 'http') return;
  await send({ type: 'http.response.start', status: 200, headers: [['content-type', 'text/plain']] });
  await send({ type: 'http.response.body', body: new TextEncoder().encode(${JSON.stringify(text)}) });
};
`;
}
