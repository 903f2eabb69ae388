import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..', '..');
/** The CLI from its TypeScript sources (compiled on the fly as in the server's CLI tests), so it is never a stale build. */
const CLI = ['-r', join(REPO, 'packages', 'server', 'test', 'support', 'swc-register.js'), join(REPO, 'packages', 'server', 'src', 'cli', 'bin.ts')];

export interface ChatProcess {
  /** `http://127.0.0.1:<port>`, once it listens. */
  origin: Promise<string>;
  /** Its log so far (stderr). */
  log(): string;
  /** Sends SIGTERM once (a second would force the exit); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `portico serve examples/chat/app.ts --port 0 ...args` with `env` added to the environment. */
export function serveChat(env: Record<string, string> = {}, args: string[] = []): ChatProcess {
  const cli = spawn(process.execPath, [...CLI, 'serve', 'examples/chat/app.ts', '--port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => cli.once('close', resolve));
  let log = '';
  const origin = new Promise<string>((resolve, reject) => {
    cli.stderr.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /running on (http:\/\/\S+)/.exec(log);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`portico exited with ${code}:\n${log}`)));
  });
  origin.catch(() => undefined);
  let stopping = false;
  return {
    origin,
    log: () => log,
    stop() {
      if (!stopping && cli.exitCode === null && cli.signalCode === null) cli.kill('SIGTERM');
      stopping = true;
      return exited;
    },
  };
}
