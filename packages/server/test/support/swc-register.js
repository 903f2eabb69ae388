// Test-only: lets `node -r ./swc-register.js src/cli/bin.ts` run the CLI from its TypeScript
// sources, compiled on the fly by @swc/core the way Jest compiles them. Apps in .ts still go
// through the CLI's own ts-node loading, as they do for a user.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs', ignoreDynamic: true },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
