import { jest } from '@jest/globals';
import fc from 'fast-check';

/**
 * One set of property files for two runs: `npm test` uses seed 42 and few runs (fast and
 * reproducible); `npm run fuzz` (PORTICO_FUZZ=1) uses a random seed, or PORTICO_FUZZ_SEED, and
 * ten times the runs. A failure names its seed, so a fuzz find can be replayed:
 * `PORTICO_FUZZ_SEED=<seed> npm run fuzz`.
 */
export const FUZZING = process.env['PORTICO_FUZZ'] === '1';
// Ten times the runs need more than the 20 s a test gets under `npm test`.
if (FUZZING) jest.setTimeout(600_000);

const seedVariable = process.env['PORTICO_FUZZ_SEED'] ?? '';
export const FUZZ_SEED = /^-?\d+$/.test(seedVariable) ? Number(seedVariable) : FUZZING ? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0 : 42;

/** Run a property `runs` times under `npm test` (10 × under `npm run fuzz`), with the shared seed. */
export async function checkProperty<Ts>(property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>, runs: number, extra: fc.Parameters<Ts> = {}): Promise<void> {
  try {
    await fc.assert(property, { seed: FUZZ_SEED, numRuns: FUZZING ? runs * 10 : runs, ...extra });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`property failed with seed ${FUZZ_SEED} (replay: PORTICO_FUZZ_SEED=${FUZZ_SEED} npm run fuzz)\n${message}`, { cause: error });
  }
}
