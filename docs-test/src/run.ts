import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MODULE_PACKAGE_JSON, type SnippetModule } from './modules';
import { porticoPaths } from './paths';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** For `serve`: the URL the block's server said it listens on. */
  readonly url?: string;
  /** For `serve`: the status of a `GET /` sent once it listened (any answer shows it serves). */
  readonly status?: number;
  readonly timedOut: boolean;
}

/** The server's startup line ("Portico running on http://127.0.0.1:8000"). */
const LISTENING = /running on (\S+)/;

/**
 * Runs a block as an ES module with tsx, in a fresh folder under docs-test/ (so packages resolve
 * from the repo's node_modules and `@portico/*` from the sources), beside the file blocks of its
 * markdown. `serve` blocks bind port 0 instead of the one they name, get one `GET /` once they listen, then SIGINT.
 */
export async function runModule(root: string, module: SnippetModule, neighbours: readonly SnippetModule[], timeoutMs: number): Promise<RunResult> {
  const folder = await mkdtemp(join(root, 'docs-test', '.run-'));
  try {
    await writeFile(join(folder, 'package.json'), MODULE_PACKAGE_JSON);
    await writeFile(join(folder, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', paths: porticoPaths(root) } }));
    for (const neighbour of neighbours) await writeFile(join(folder, basename(neighbour.path)), neighbour.source);
    const serve = module.snippet.directives.serve;
    const source = serve ? module.source.replace(/\bport: \d+/g, 'port: 0') : module.source;
    await writeFile(join(folder, 'doctest-main.ts'), source);
    return await execute(folder, serve, timeoutMs);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

function execute(folder: string, serve: boolean, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'doctest-main.ts'], {
      cwd: folder,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let url: string | undefined;
    let status: number | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const watch = (): void => {
      const listening = serve && url === undefined ? LISTENING.exec(stdout + stderr) : null;
      if (!listening) return;
      url = listening[1];
      fetch(new URL('/', url))
        .then((response) => { status = response.status; }, () => undefined)
        .finally(() => child.kill('SIGINT'));
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      watch();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      watch();
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ...(url === undefined ? {} : { url }), ...(status === undefined ? {} : { status }) });
    });
  });
}
