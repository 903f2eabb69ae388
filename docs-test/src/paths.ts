import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  readonly name?: string;
  readonly exports?: Record<string, string | { readonly types?: string }>;
}

/**
 * `@portico/*` import specifiers mapped to the packages' TypeScript sources, read from each
 * package's `exports` (`./dist/x/index.d.ts` → `src/x/index.ts`), as the jest config does.
 */
export function porticoPaths(root: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = join(root, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    if (!pkg.name?.startsWith('@portico/')) continue;
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const types = typeof target === 'string' ? target : target.types;
      if (types === undefined || !types.endsWith('.d.ts')) continue;
      const source = types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts');
      paths[pkg.name + subpath.slice(1)] = [join(root, 'packages', dir, source)];
    }
  }
  return paths;
}
