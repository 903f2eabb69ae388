import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSystemProgram, freePort, programPath } from '@portico/protocol/testing';
import { waitForPort } from './nginx';

/** lighttpd (`LIGHTTPD=/path` to choose one); `.ci/run` installs the package. Wrap its tests in `withSystemPrograms([LIGHTTPD], ...)`. */
export const LIGHTTPD = findSystemProgram({ name: 'lighttpd' });

export interface RunningLighttpd {
  origin: string;
  errorLog(): string;
  stop(): Promise<void>;
}

/**
 * A real lighttpd with mod_cgi on a free loopback port, in a fresh temp folder, sending every
 * request to one CGI script (`script`, a shell script's text) with `env` added to its environment.
 * The rewrite keeps REQUEST_URI as sent and puts the path in PATH_INFO.
 */
export async function startLighttpd(script: string, env: Record<string, string>): Promise<RunningLighttpd> {
  const binary = programPath(LIGHTTPD);
  const root = mkdtempSync(join(tmpdir(), 'portico-lighttpd-'));
  writeFileSync(join(root, 'app.cgi'), script);
  chmodSync(join(root, 'app.cgi'), 0o755);
  const port = await freePort();
  const environment = Object.entries(env)
    .map(([name, value]) => `${JSON.stringify(name)} => ${JSON.stringify(value)}`)
    .join(', ');
  const conf = `
server.document-root = "${root}"
server.bind = "127.0.0.1"
server.port = ${port}
server.modules = ("mod_rewrite", "mod_setenv", "mod_cgi")
server.errorlog = "${root}/error.log"
url.rewrite-once = ("^(/.*)$" => "/app.cgi$1")
cgi.assign = (".cgi" => "")
setenv.add-environment = (${environment})
`;
  const confPath = join(root, 'lighttpd.conf');
  writeFileSync(confPath, conf);
  const check = spawnSync(binary, ['-tt', '-f', confPath], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`lighttpd rejected the generated config:\n${check.stderr}\n${conf}`);
  const child = spawn(binary, ['-D', '-f', confPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, () => child.exitCode !== null, () => stderr, 'lighttpd');
  return {
    origin: `http://127.0.0.1:${port}`,
    errorLog: () => (existsSync(join(root, 'error.log')) ? readFileSync(join(root, 'error.log'), 'utf8') : ''),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
