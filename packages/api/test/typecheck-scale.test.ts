import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from '@jest/globals';

const root = join(__dirname, '..', '..', '..');

// The route table is one union, so 200 chained endpoints and a typed client stay well inside
// what tsc can infer (no TS2589); bench/api-typecheck.mjs records the time and instantiations.
it('type-checks an app of 200 chained endpoints and a typed client without an error', () => {
  const run = spawnSync(process.execPath, [join(root, 'bench', 'api-typecheck.mjs'), '--endpoints', '200', '--source', '--json'], { encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as Array<{ ok: boolean; errors: string[]; instantiations: number; checkTime: number }>;
  expect(result!.errors).toEqual([]);
  expect(result!.ok).toBe(true);
  expect(result!.instantiations).toBeGreaterThan(0);
}, 120_000);
