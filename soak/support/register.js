// Soak-only: lets a child process run the TypeScript sources the way Jest does (`node -r
// ./register.js file.ts`): .ts compiled on the fly by @swc/core, and `@portico/*` resolved to
// packages/*/src as the root jest.config.ts maps it, so no build is needed between an edit and a
// soak run. (packages/server/test/support/swc-register.js compiles but leaves @portico/* on dist.)
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { transformSync } = require('@swc/core');

const ROOT = join(__dirname, '..', '..');
const PORTICO = /^@portico\/(protocol|server|framework|api)(?:\/(.+))?$/;
const options = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' }, // import() becomes require(), as under Jest
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolvePortico(request, ...rest) {
  const match = PORTICO.exec(request);
  if (match !== null) request = join(ROOT, 'packages', match[1], 'src', match[2] ?? 'index');
  return resolve.call(this, request, ...rest);
};
