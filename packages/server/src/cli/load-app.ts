import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { App } from '@portico/protocol';

/** The app could not be loaded; the message is one line that names what was looked for. */
export class AppLoadError extends Error {
  override readonly name = 'AppLoadError';
}

const EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs'];
const TS_NODE_INSTANCE = Symbol.for('ts-node.register.instance');
const requireModule = createRequire(__filename);

/** `app.ts:handlers.main` → module `app.ts`, export path `handlers.main`; the export defaults to `app`. */
export function splitAppSpec(spec: string): { module: string; exportPath: string } {
  const colon = spec.lastIndexOf(':');
  const after = spec.slice(colon + 1);
  // A Windows drive (C:\...) is not an export; an export is an identifier path.
  if (colon > 1 && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(after)) return { module: spec.slice(0, colon), exportPath: after };
  return { module: spec, exportPath: 'app' };
}

function findModule(module: string, cwd: string): string {
  const base = resolve(cwd, module);
  const candidates = extname(base) === '' ? [base, ...EXTENSIONS.map((extension) => base + extension)] : [base];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found === undefined) {
    const shown = candidates.map((candidate) => relative(cwd, candidate) || candidate).join(', ');
    throw new AppLoadError(`Could not find the app module '${module}' (looked for ${shown})`);
  }
  return found;
}

/** Compile `.ts` on the fly with the project's own ts-node, configured by the app's nearest tsconfig. */
function registerTypeScript(file: string): void {
  if ((process as unknown as Record<symbol, unknown>)[TS_NODE_INSTANCE] !== undefined) return; // already running under ts-node
  let tsNode: string;
  try {
    tsNode = requireModule.resolve('ts-node', { paths: [dirname(file), process.cwd()] });
  } catch {
    throw new AppLoadError(`Cannot load '${file}': TypeScript apps need ts-node (npm install --save-dev ts-node typescript), or compile to .js first`);
  }
  const { register } = requireModule(tsNode) as { register(options: { transpileOnly: boolean; projectSearchDir: string }): unknown };
  register({ transpileOnly: true, projectSearchDir: dirname(file) });
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  const extension = extname(file);
  if (extension === '.mjs') return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (extension === '.ts' || extension === '.mts' || extension === '.cts') registerTypeScript(file);
  try {
    return requireModule(file) as Record<string, unknown>;
  } catch (error) {
    // A .js file in a "type": "module" package is ESM.
    if ((error as NodeJS.ErrnoException).code === 'ERR_REQUIRE_ESM') return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * Load the app a command line names: `<module>[:<export>]`, relative to `cwd`. `.ts` goes through
 * ts-node. With `factory`, the export is called (and awaited) to get the app. Every failure to
 * find what was asked for is an `AppLoadError` with a one-line message; errors thrown by the
 * module's own code are rethrown as they are.
 *
 * @example
 * const app = await loadApp('examples/hello/app.ts', process.cwd(), false);
 */
export async function loadApp(spec: string, cwd: string, factory: boolean): Promise<App> {
  const { module, exportPath } = splitAppSpec(spec);
  const file = findModule(module, cwd);
  const loaded = await importModule(file);
  let value: unknown = loaded;
  for (const key of exportPath.split('.')) {
    const holder = value as Record<string, unknown> | null | undefined;
    const next = holder?.[key] ?? (key === 'default' && value === loaded && typeof loaded === 'function' ? loaded : undefined);
    if (next === undefined) {
      const names = Object.keys(loaded).filter((name) => name !== '__esModule');
      const known = names.length > 0 ? `it exports: ${names.join(', ')}` : 'it exports nothing';
      throw new AppLoadError(`The module '${module}' has no export '${exportPath}' (${known})`);
    }
    value = next;
  }
  if (typeof value !== 'function') {
    throw new AppLoadError(`The export '${exportPath}' of '${module}' is ${describe(value)}, not an app function (scope, receive, send) => Promise<void>`);
  }
  if (!factory) return value as App;
  const app: unknown = await (value as () => unknown)();
  if (typeof app !== 'function') {
    throw new AppLoadError(`The factory '${exportPath}' of '${module}' returned ${describe(app)}, not an app function (scope, receive, send) => Promise<void>`);
  }
  return app as App;
}
