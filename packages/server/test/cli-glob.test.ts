/** The reloader's globs (cli/glob.ts): Node 20's path.matchesGlob is experimental and warns. */
import { expect, it } from '@jest/globals';
import { matchesGlob } from '../src/cli/glob';

it.each([
  ['app.ts', '*.ts', true],
  ['src/deep/app.ts', '*.ts', true],
  ['src/app.tsx', '*.ts', false],
  ['node_modules/x/index.js', 'node_modules', true],
  ['src/.cache/a.js', '.*', true],
  ['src/app.test.ts', '*.test.ts', true],
  ['src/app.ts', 'src/*.ts', true],
  ['src/a/app.ts', 'src/*.ts', false],
  ['src/a/b/app.ts', 'src/**/*.ts', true],
  ['src/app.ts', 'src/**/*.ts', true],
  ['a.mjs', '*.{js,mjs}', true],
  ['a.cjs', '*.{js,mjs}', false],
  ['a1.js', 'a[0-9].js', true],
  ['ab.js', 'a[!b].js', false],
  ['a.js', '?.js', true],
  ['a+b.js', 'a+b.js', true],
  ['axb.js', 'a.b.js', false],
])('%s matches %s: %s', (path, glob, expected) => {
  expect(matchesGlob(path, glob)).toBe(expected);
});
