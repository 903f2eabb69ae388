import { spawn } from 'node:child_process';

/** A command started in its own process group, stopped with the whole group (npm, sh and node). */
export interface Started {
  /** The first http:// URL the command logged as where it listens. */
  readonly url: string;
  stop(): Promise<number | null>;
}

/** Run `npm start -- --port 0` in `cwd` and wait until it says where it listens. */
export function npmStart(cwd: string, timeoutMs = 60_000): Promise<Started> {
  return startServer(cwd, ['start', '--', '--port', '0'], timeoutMs);
}

/** Run `npm <args>` in `cwd` (a command that serves and logs `running on <url>`) and wait for its URL. */
export async function startServer(cwd: string, args: readonly string[], timeoutMs = 60_000): Promise<Started> {
  const command = `npm ${args.join(' ')}`;
  const child = spawn('npm', [...args], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    return closed;
  };
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} in ${cwd} did not say where it listens within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const read = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /running on (http:\/\/\S+)/.exec(log);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void closed.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} in ${cwd} exited with ${code}:\n${log}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}
