import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** How to find a program the integration tests drive for real (nginx, lighttpd, chromium, redis-server). */
export interface SystemProgramSpec {
  /** The command, looked up on `PATH` and in the sbin folders: `nginx`. */
  readonly name: string;
  /** Other commands that are the same program: `chromium-browser` for `chromium`. */
  readonly aliases?: readonly string[];
  /** What installs it, for the skip line; defaults to `apt-get install <name>`. */
  readonly install?: string;
  /** A variable naming the executable instead of the search; defaults to the name upper-cased (`NGINX`, `REDIS_SERVER`). */
  readonly envVar?: string;
}

/** A program looked up once: its path, or the one line that says it is missing and how to install it. */
export interface SystemProgram {
  readonly name: string;
  /** The absolute path of the executable; null when it is missing. */
  readonly path: string | null;
  /** `nginx not found: apt-get install nginx`; null when it was found. */
  readonly missing: string | null;
}

/** Debian keeps daemons in sbin, which a user's `PATH` often lacks. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a system program: the executable its variable names if set, else the first match on `PATH`
 * or in the sbin folders. Nothing is run.
 *
 * @example
 * const nginx = findSystemProgram({ name: 'nginx' });
 * nginx.path;    // '/usr/sbin/nginx', or null
 * nginx.missing; // null, or 'nginx not found: apt-get install nginx'
 */
export function findSystemProgram(spec: SystemProgramSpec, env: NodeJS.ProcessEnv = process.env): SystemProgram {
  const { name } = spec;
  const install = spec.install ?? `apt-get install ${name}`;
  const envVar = spec.envVar ?? name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const named = env[envVar];
  if (named !== undefined && named !== '') {
    return isExecutable(named)
      ? { name, path: named, missing: null }
      : { name, path: null, missing: `${name} not found at ${envVar}=${named}: ${install}, or point ${envVar} at the executable` };
  }
  const folders = [...(env['PATH'] ?? '').split(delimiter).filter(isAbsolute), ...SBIN];
  for (const command of [name, ...(spec.aliases ?? [])]) {
    for (const folder of folders) {
      const path = join(folder, command);
      if (isExecutable(path)) return { name, path, missing: null };
    }
  }
  return { name, path: null, missing: `${name} not found: ${install}` };
}

/** The program's path, for code that runs only once `withSystemPrograms` let its tests in; throws the missing line otherwise. */
export function programPath(program: SystemProgram): string {
  if (program.path === null) throw new Error(program.missing ?? `${program.name} not found`);
  return program.path;
}
