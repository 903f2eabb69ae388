/**
 * Helpers for tests that drive real system programs: `findSystemProgram` looks one up,
 * `withSystemPrograms` registers tests only when the programs are there (skipping with one line
 * each, or failing under `PORTICO_REQUIRE_SYSTEM_SERVERS=1`); `freePort` finds a loopback port to
 * start one on. Import from
 * `@portico/protocol/testing` inside a Jest test file.
 */
export { freePort } from './free-port';
export { findSystemProgram, programPath, type SystemProgram, type SystemProgramSpec } from './system-program';
export { REQUIRE_SYSTEM_SERVERS, systemProgramsRequired, withSystemPrograms } from './with-system-programs';
