import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSystemProgram, freePort, programPath } from '@portico/protocol/testing';

/** nginx (`NGINX=/path` to choose one); `.ci/run` installs the package. Wrap its tests in `withSystemPrograms([NGINX], ...)`. */
export const NGINX = findSystemProgram({ name: 'nginx' });

export interface RunningNginx {
  port: number;
  origin: string;
  /** nginx's error log so far, for assertions and failure messages. */
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * Start a real nginx in the foreground on a free loopback port, with every path (pid, logs,
 * temp dirs) in a fresh temp folder. `serverBlock` is the body of the `server {}` block, without
 * `listen`.
 */
export async function startNginx(serverBlock: string, httpBlock = ''): Promise<RunningNginx> {
  const binary = programPath(NGINX);
  const prefix = mkdtempSync(join(tmpdir(), 'portico-nginx-'));
  mkdirSync(join(prefix, 'logs'));
  const port = await freePort();
  const conf = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log info;
${process.getuid?.() === 0 ? 'user root root;' : ''}
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  ${httpBlock}
  server {
    listen 127.0.0.1:${port};
    ${serverBlock}
  }
}
`;
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, conf);
  const check = spawnSync(binary, ['-t', '-p', prefix, '-c', confPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected the generated config:\n${check.stderr}\n${conf}`);
  const child: ChildProcess = spawn(binary, ['-p', prefix, '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, () => child.exitCode !== null, () => stderr);
  const errorLog = (): string => {
    try {
      return readFileSync(join(prefix, 'logs', 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    errorLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** Resolves once `port` accepts connections on 127.0.0.1; rejects if the server (`name`) died or never listened. */
export async function waitForPort(port: number, died: () => boolean, output: () => string, name = 'nginx'): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (died()) throw new Error(`${name} exited at start: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${name} did not listen on ${port}: ${output()}`);
}
