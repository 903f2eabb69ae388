/** `@portico/server/fetch` runs where there is no Node: its import graph holds no `node:` module. */
import { join } from 'node:path';
import { expect, it } from '@jest/globals';
import { build, type Plugin } from 'esbuild';

const packages = join(__dirname, '..', '..');

/** `@portico/*` resolved to the sources, as Jest and the type-checker do. */
const porticoSources: Plugin = {
  name: 'portico-sources',
  setup(bundle) {
    bundle.onResolve({ filter: /^@portico\/(protocol|server)(\/.+)?$/ }, ({ path }) => {
      const [, name, subpath] = /^@portico\/([^/]+)(?:\/(.+))?$/.exec(path) as RegExpExecArray;
      return { path: join(packages, name as string, 'src', `${subpath ?? 'index'}.ts`) };
    });
  },
};

it('bundles for a neutral platform without importing any node: module', async () => {
  const result = await build({
    entryPoints: [join(__dirname, '..', 'src', 'fetch.ts')],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['node:*'],
    plugins: [porticoSources],
  });
  const nodeImports = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter(({ path }) => path.startsWith('node:') || !path.includes('/')).map(({ path }) => `${file} imports ${path}`),
  );
  expect(nodeImports).toEqual([]);
  expect(Object.keys(result.metafile.inputs).some((file) => file.endsWith('adapters/fetch.ts'))).toBe(true);
});
