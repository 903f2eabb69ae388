import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSystemProgram, freePort, programPath } from '@portico/protocol/testing';

/** nginx (`NGINX=/path` to choose one). Like ./redis.ts, a smaller twin of a helper outside this folder (packages/server/test/support/nginx.ts). */
export const NGINX = findSystemProgram({ name: 'nginx' });

/** The `nginx` block of this example's README, as a reader copies it. */
export function readmeNginxConfig(): string {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('examples/chat/README.md has no nginx block');
  return block[1]!;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Runs nginx in the foreground with `httpBlock` inside `http {}`, after `listen 80` became a free
 * loopback port; every path nginx writes is in a temp folder.
 */
export async function startNginx(httpBlock: string): Promise<{ origin: string; stop(): Promise<void> }> {
  const prefix = mkdtempSync(join(tmpdir(), 'portico-chat-nginx-'));
  const port = await freePort();
  const conf = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;
${process.getuid?.() === 0 ? 'user root root;' : ''}
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  ${httpBlock.replace(/listen 80;/, `listen 127.0.0.1:${port};`)}
}
`;
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, conf);
  const binary = programPath(NGINX);
  const check = spawnSync(binary, ['-t', '-p', prefix, '-c', confPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx rejected the configuration:\n${check.stderr}\n${conf}`);
  const child = spawn(binary, ['-p', prefix, '-c', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(prefix, { recursive: true, force: true });
  };
  // nginx says nothing once it listens: try the port, as packages/server/test/support/nginx.ts does.
  for (let attempt = 0; !(await accepts(port)); attempt++) {
    if (child.exitCode !== null || attempt === 200) {
      await stop();
      throw new Error(`nginx did not listen on ${port}: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { origin: `http://127.0.0.1:${port}`, stop };
}
