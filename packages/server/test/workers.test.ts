/** `--workers N`: node:cluster workers share the port; the dead are replaced; a signal stops them all. */
import { expect, it } from '@jest/globals';
import { usePortico } from './support/cli';

const portico = usePortico();
const pidApp = 'packages/server/test/fixtures/pid-app.js';

/** The pid that served one request on a fresh connection (the fixture closes every connection). */
async function servedBy(origin: string): Promise<number> {
  return Number(await (await fetch(origin)).text());
}

/** Request until `done(pids seen)` holds; the cluster hands connections round-robin to workers. */
async function requestUntil(origin: string, done: (seen: Set<number>) => boolean): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 200 && !done(seen); i++) seen.add(await servedBy(origin));
  return seen;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('spreads requests over the workers, replaces one that dies, and stops them all on SIGTERM', async () => {
  const cli = portico(['serve', pidApp, '--workers', '2', '--port', '0']);
  const origin = await cli.origin();
  await cli.waitFor(/Worker \[\d+\] is serving\.(.|\n)*Worker \[\d+\] is serving\./);
  const first = await requestUntil(origin, (seen) => seen.size === 2);
  expect(first.size).toBe(2);
  expect(first.has(cli.child.pid as number)).toBe(false); // the parent serves nothing itself

  const [victim, survivor] = [...first] as [number, number];
  process.kill(victim, 'SIGKILL');
  await cli.waitFor(new RegExp(`Worker \\[${victim}\\] was killed by SIGKILL; starting a new one\\.(.|\\n)*Worker \\[\\d+\\] is serving\\.`));
  const after = await requestUntil(origin, (seen) => seen.size === 2);
  expect(after.has(victim)).toBe(false);
  expect(after.has(survivor)).toBe(true);

  cli.child.kill('SIGTERM');
  expect((await cli.exited).code).toBe(0);
  for (const pid of [...first, ...after]) expect(isRunning(pid)).toBe(false);
});

it('replaces a worker at --limit-max-requests without a refused request', async () => {
  const cli = portico(['serve', pidApp, '--workers', '2', '--limit-max-requests', '2', '--port', '0']);
  const origin = await cli.origin();
  // Every request below succeeds (servedBy throws otherwise) while workers are being replaced.
  const before = await requestUntil(origin, () => /reached its request limit; starting its replacement/.test(cli.output()));
  const [, retired] = await cli.waitFor(/Finished server process \[(\d+)\]/); // stopped once its replacement listened
  expect(before.has(Number(retired))).toBe(true);
  const after = await requestUntil(origin, (seen) => [...seen].some((pid) => !before.has(pid)));
  expect(after.has(Number(retired))).toBe(false);
});

it('stops with exit code 1 when the workers fail to start', async () => {
  const cli = portico(['serve', 'packages/server/test/fixtures/failing-startup.js', '--workers', '2', '--port', '0']);
  expect((await cli.exited).code).toBe(1);
  expect(cli.output()).toContain('Application startup failed: database unreachable at db:5432');
  expect(cli.output()).toMatch(/Worker \[\d+\] failed to start; stopping\./);
});
