import { describe, it } from '@jest/globals';
import type { SystemProgram } from './system-program';

/** Set (to anything but `0` or empty) where a missing program must fail the run, as `.ci/run` does. */
export const REQUIRE_SYSTEM_SERVERS = 'PORTICO_REQUIRE_SYSTEM_SERVERS';

/** Whether a missing program fails instead of skipping. */
export function systemProgramsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[REQUIRE_SYSTEM_SERVERS];
  return value !== undefined && value !== '' && value !== '0';
}

/**
 * Registers the tests `define` declares when every program was found. Otherwise they are skipped,
 * with one line on stderr per missing program (`nginx not found: apt-get install nginx`); under
 * `PORTICO_REQUIRE_SYSTEM_SERVERS=1` one failing test says the same instead. Call it at the top of
 * a test file or inside a `describe`, around the tests that need the programs.
 *
 * @example
 * const nginx = findSystemProgram({ name: 'nginx' });
 * withSystemPrograms([nginx], () => {
 *   describeHostConformance('FastCGI host behind nginx', startHost);
 * });
 */
export function withSystemPrograms(programs: readonly SystemProgram[], define: () => void): void {
  const missing = programs.flatMap((program) => (program.missing === null ? [] : [program.missing]));
  if (missing.length === 0) {
    define();
    return;
  }
  const summary = missing.join('; ');
  if (systemProgramsRequired()) {
    describe(summary, () => {
      it(`is installed (${REQUIRE_SYSTEM_SERVERS} is set)`, () => {
        throw new Error(`${summary} (${REQUIRE_SYSTEM_SERVERS} is set, so a missing program is a failure, not a skip)`);
      });
    });
    return;
  }
  // Written straight to stderr: Jest's console capture would add a header and a stack frame.
  for (const line of missing) process.stderr.write(`${line} (tests skipped)\n`);
  describe.skip(`needs ${programs.map((program) => program.name).join(' and ')}`, define);
}
