/** The system-program helper: lookup, and skip (one line) or fail under PORTICO_REQUIRE_SYSTEM_SERVERS. */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findSystemProgram, programPath, systemProgramsRequired } from '@portico/protocol/testing';

const REPO = join(__dirname, '..', '..', '..');
let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'portico-programs-'));
  writeFileSync(join(bin, 'portico-present-program'), '#!/bin/sh\n');
  chmodSync(join(bin, 'portico-present-program'), 0o755);
  writeFileSync(join(bin, 'portico-not-executable'), '#!/bin/sh\n');
  chmodSync(join(bin, 'portico-not-executable'), 0o644);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe('findSystemProgram', () => {
  it('finds an executable on PATH', () => {
    const program = findSystemProgram({ name: 'portico-present-program' }, { PATH: bin });
    expect(program).toEqual({ name: 'portico-present-program', path: join(bin, 'portico-present-program'), missing: null });
    expect(programPath(program)).toBe(join(bin, 'portico-present-program'));
  });

  it('says in one line what is missing and how to install it', () => {
    const program = findSystemProgram({ name: 'portico-absent-program' }, { PATH: bin });
    expect(program).toEqual({ name: 'portico-absent-program', path: null, missing: 'portico-absent-program not found: apt-get install portico-absent-program' });
    expect(() => programPath(program)).toThrow('portico-absent-program not found: apt-get install portico-absent-program');
  });

  it('takes a file without the execute bit for missing, and an alias or another install command when given', () => {
    expect(findSystemProgram({ name: 'portico-not-executable' }, { PATH: bin }).path).toBeNull();
    const chromium = findSystemProgram({ name: 'chromium', aliases: ['portico-present-program'], install: 'apt-get install chromium' }, { PATH: bin, CHROMIUM: '' });
    expect(chromium.path).toBe(join(bin, 'portico-present-program'));
    expect(findSystemProgram({ name: 'redis-server', install: 'apt-get install redis-server' }, { PATH: bin, REDIS_SERVER: join(bin, 'absent') }).missing).toBe(
      `redis-server not found at REDIS_SERVER=${join(bin, 'absent')}: apt-get install redis-server, or point REDIS_SERVER at the executable`,
    );
  });

  it('prefers the executable its variable names (NGINX=/path) over the search', () => {
    const named = join(bin, 'portico-present-program');
    expect(findSystemProgram({ name: 'nginx' }, { PATH: '', NGINX: named }).path).toBe(named);
  });
});

describe('PORTICO_REQUIRE_SYSTEM_SERVERS', () => {
  it('is on when set to anything but empty or 0', () => {
    expect([undefined, '', '0', '1', 'yes'].map((value) => systemProgramsRequired(value === undefined ? {} : { PORTICO_REQUIRE_SYSTEM_SERVERS: value }))).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
  });
});

/** Runs fixtures/needs-programs.fixture.ts in a child Jest, with `bin` (holding only the present program) on PATH. */
function runFixture(env: Record<string, string>): { stderr: string; results: { numPassedTests: number; numFailedTests: number; numPendingTests: number } } {
  const config = {
    rootDir: join(__dirname, '..'),
    testMatch: ['<rootDir>/test/fixtures/needs-programs.fixture.ts'],
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
    moduleNameMapper: { '^@portico/protocol/(.+)$': join(__dirname, '..', 'src', '$1') },
  };
  const { PORTICO_REQUIRE_SYSTEM_SERVERS: _inherited, ...parent } = process.env;
  const child = spawnSync(process.execPath, [join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), '--config', JSON.stringify(config), '--json', '--ci'], {
    cwd: REPO,
    env: { ...parent, PATH: `${bin}:${process.env['PATH'] ?? ''}`, ...env },
    encoding: 'utf8',
  });
  return { stderr: child.stderr, results: JSON.parse(child.stdout) as ReturnType<typeof runFixture>['results'] };
}

describe('withSystemPrograms', () => {
  it('skips the tests of a missing program with one line naming it and its install command', () => {
    const { stderr, results } = runFixture({});
    expect(results).toMatchObject({ numPassedTests: 1, numPendingTests: 1, numFailedTests: 0 });
    expect(stderr.split('\n').filter((line) => line.includes('not found'))).toEqual([
      'portico-absent-program not found: apt-get install portico-absent-program (tests skipped)',
    ]);
  }, 60_000);

  it('fails instead, with the same line, under PORTICO_REQUIRE_SYSTEM_SERVERS=1', () => {
    const { stderr, results } = runFixture({ PORTICO_REQUIRE_SYSTEM_SERVERS: '1' });
    expect(results).toMatchObject({ numPassedTests: 1, numPendingTests: 0, numFailedTests: 1 });
    expect(stderr).toContain('portico-absent-program not found: apt-get install portico-absent-program (PORTICO_REQUIRE_SYSTEM_SERVERS is set');
  }, 60_000);
});
