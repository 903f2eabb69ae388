import { join } from 'node:path';
import type { Config } from 'jest';

/**
 * `npm run soak`: slow, vanishing and hostile clients, and load, against servers in child
 * processes (soak/support/server-process.ts). Kept out of `npm test`: the files are `*.soak.ts`
 * and run one at a time, since each measures a whole machine's worth of sockets and memory.
 * Figures are printed; docs/reliability.md records them.
 */
const root = join(__dirname, '..');

const config: Config = {
  displayName: 'soak',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.soak.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: {
    '^@portico/(protocol|server|framework|api)$': `${root}/packages/$1/src/index.ts`,
    '^@portico/(protocol|server|framework|api)/(.+)$': `${root}/packages/$1/src/$2`,
  },
  maxWorkers: 1,
  testTimeout: 120_000,
};

export default config;
