import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TsxCjs from 'tsx/cjs/api';
import type * as TsxEsm from 'tsx/esm/api';

const requireModule = createRequire(__filename);
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);
let tsxRegistered: Promise<void> | undefined;

/** The nearest `package.json` above `directory` says `"type": "module"`: its `.js` and `.ts` files are ES modules. */
function inModulePackage(directory: string): boolean {
  for (let current = directory; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false; // Node reports a broken package.json itself when it loads the file
      }
    }
    if (dirname(current) === current) return false;
  }
}

/** The tsconfig.json nearest to the app, so a project run from another folder still gets its own settings. */
function nearestTsconfig(directory: string): string | false {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return false;
  }
}

/**
 * Teach this process TypeScript with tsx, for `require` and `import` alike: ts-node needs a
 * tsconfig and cannot load ES modules without experimental loader flags. Transpiles only, no type check.
 */
function registerTsx(file: string): Promise<void> {
  tsxRegistered ??= (async () => {
    const tsconfig = nearestTsconfig(dirname(file));
    // The CommonJS build of tsx/esm/api resolves its loader from the wrong folder; the ES build does not.
    const esm = (await import('tsx/esm/api')) as typeof TsxEsm;
    esm.register({ tsconfig });
    (requireModule('tsx/cjs/api') as typeof TsxCjs).register();
  })();
  return tsxRegistered;
}

/**
 * Load a module file the way Node would run it: `.mjs`, `.mts` and `.js`/`.ts` in a
 * `"type": "module"` package are imported, the rest required. TypeScript goes through tsx;
 * plain JavaScript needs no loader.
 *
 * @example
 * const exports = await importFile('/srv/app/app.ts');
 */
export async function importFile(file: string): Promise<Record<string, unknown>> {
  const extension = extname(file);
  if (TYPESCRIPT.has(extension)) await registerTsx(file);
  const isModule = extension === '.mjs' || extension === '.mts' || ((extension === '.js' || extension === '.ts') && inModulePackage(dirname(file)));
  if (isModule) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  try {
    return requireModule(file) as Record<string, unknown>;
  } catch (error) {
    // A .js file may still be ESM (a package.json the check could not read, or syntax detection).
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    throw error;
  }
}
