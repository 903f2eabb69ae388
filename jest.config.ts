import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from 'jest';

/**
 * One Jest project per package and example, so `npm test` runs everything and
 * `npm test -- packages/server` runs one. Tests run the TypeScript sources through SWC
 * (type checking is `npm run typecheck`); `@portico/*` imports resolve to the sources too,
 * so no build is needed between an edit and a test run.
 */
const root = __dirname;

const transform: Config['transform'] = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};

const moduleNameMapper = {
  '^@portico/(protocol|server|framework|api|broadcast)$': `${root}/packages/$1/src/index.ts`,
  '^@portico/(protocol|server|framework|api|broadcast)/(.+)$': `${root}/packages/$1/src/$2`,
};

function project(dir: string): NonNullable<Config['projects']>[number] {
  return {
    displayName: dir,
    rootDir: join(root, dir),
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testEnvironment: 'node',
    transform,
    moduleNameMapper,
  };
}

const dirs = ['packages', 'examples'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(join(root, dir, 'test'))),
);

const config: Config = {
  projects: [...dirs, 'docs-test'].map(project),
  testTimeout: 20_000,
};

export default config;
