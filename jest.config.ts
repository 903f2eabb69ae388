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

type Project = Exclude<NonNullable<Config['projects']>[number], string>;

function project(dir: string): Project {
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

/**
 * The server's HTTP/1.1 behaviour tests, run a second time against Portico's own HTTP/1.1 host
 * (`http1: 'portico'`): one suite, two implementations. `PORTICO_TEST_HTTP1` tells the test support
 * (`useServers`, `withTestHttp1`) which one to start. The conformance suite runs both on its own.
 */
const PORTICO_HTTP1_TESTS = [
  'http1-host',
  'http-cycle',
  'scope',
  'lifespan',
  'limits',
  'limits-every-host',
  'malformed-requests',
  'cut-responses',
  'flush-head',
  'extensions',
  'shutdown',
  'binding',
  'proxy-headers',
  'access-log',
  'websocket',
  'websocket-lifecycle',
  'reliability/faults',
  'reliability/faults-framework',
  'reliability/security',
  'reliability/security-static-files',
  'reliability/smuggling',
  'reliability/http1-mutations',
  'reliability/websocket-frames',
];

const porticoHttp1: Project = {
  ...project('packages/server'),
  displayName: 'packages/server (http1: portico)',
  testMatch: PORTICO_HTTP1_TESTS.map((name) => `<rootDir>/test/${name}.test.ts`),
  setupFiles: ['<rootDir>/test/support/portico-http1-env.ts'],
};

const config: Config = {
  projects: [...[...dirs, 'docs-test'].map(project), porticoHttp1],
  testTimeout: 20_000,
};

export default config;
