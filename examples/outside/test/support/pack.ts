import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..', '..');

/** The workspaces under packages/ that are published, by folder name. */
export const PUBLISHED = ['protocol', 'server', 'framework', 'api', 'create-portico'] as const;
export type Published = (typeof PUBLISHED)[number];

/** One packer at a time per checkout: two `tsc -b` runs writing the same dist/ could ship a half-written file. */
function withLock<T>(work: () => T): T {
  const lock = join(tmpdir(), `portico-pack-${Buffer.from(REPO).toString('hex').slice(-32)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Gave up waiting for ${lock}; remove it if no npm pack is running`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * `npm pack` the packages into `destination`, as a user of a clone does (prepack builds each one
 * and copies the LICENSE); returns each package's tarball path.
 */
export function packPackages(destination: string, names: readonly Published[] = PUBLISHED): Map<Published, string> {
  const workspaces = names.flatMap((name) => ['-w', `packages/${name}`]);
  const output = withLock(() =>
    execFileSync('npm', ['pack', '--silent', ...workspaces, '--pack-destination', destination], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const files = output.split('\n').filter((line) => line.endsWith('.tgz'));
  return new Map(
    names.map((name) => {
      const { version } = JSON.parse(readFileSync(join(REPO, 'packages', name, 'package.json'), 'utf8')) as { version: string };
      const file = `${name === 'create-portico' ? name : `portico-${name}`}-${version}.tgz`;
      if (!files.includes(file)) throw new Error(`npm pack did not report ${file}; it printed:\n${output}`);
      return [name, join(destination, file)];
    }),
  );
}
