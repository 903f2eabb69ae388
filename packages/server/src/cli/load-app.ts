import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import type { App } from '@portico/protocol';
import { importFile } from './loader';

/** The app could not be loaded; the message is one line that names what was looked for. */
export class AppLoadError extends Error {
  override readonly name = 'AppLoadError';
}

/** The `--factory` export threw; `cause` is what it threw. */
export class FactoryError extends Error {
  override readonly name = 'FactoryError';
}

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** `app.ts:handlers.main` → module `app.ts`, export path `handlers.main`; without one, `exportPath` is undefined. */
export function splitAppSpec(spec: string): { module: string; exportPath: string | undefined } {
  const colon = spec.lastIndexOf(':');
  const after = spec.slice(colon + 1);
  // A Windows drive (C:\...) is not an export; an export is an identifier path.
  if (colon > 1 && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(after)) return { module: spec.slice(0, colon), exportPath: after };
  return { module: spec, exportPath: undefined };
}

/** The app module's file, relative to `cwd`, trying the extensions when there is none. */
export function findModule(module: string, cwd: string): string {
  const base = resolve(cwd, module);
  const candidates = extname(base) === '' ? [base, ...EXTENSIONS.map((extension) => base + extension)] : [base];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (found === undefined) {
    const shown = candidates.map((candidate) => relative(cwd, candidate) || candidate).join(', ');
    throw new AppLoadError(`Could not find the app module '${module}' (looked for ${shown})`);
  }
  return found;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A module's default export: `export default`, or a CommonJS `module.exports = app`. */
function defaultExport(loaded: Record<string, unknown>): unknown {
  return loaded['default'] ?? (typeof loaded === 'function' ? loaded : undefined);
}

function lookUp(loaded: Record<string, unknown>, exportPath: string): unknown {
  let value: unknown = loaded;
  for (const key of exportPath.split('.')) {
    const holder = value as Record<string, unknown> | null | undefined;
    value = key === 'default' && holder === loaded ? defaultExport(loaded) : holder?.[key];
    if (value === undefined) return undefined;
  }
  return value;
}

/**
 * Load the app a command line names: `<module>[:<export>]`, relative to `cwd`. TypeScript goes
 * through tsx (see loader.ts). Without `:<export>`, the `app` export is served, or the default
 * export when there is no `app`. With `factory`, the export is called (and awaited) to get the
 * app. Every failure to find what was asked for is an `AppLoadError` with a one-line message;
 * errors thrown by the module's own code are rethrown as they are (see load-error.ts).
 *
 * @example
 * const app = await loadApp('examples/hello/app.ts', process.cwd(), false);
 */
export async function loadApp(spec: string, cwd: string, factory: boolean): Promise<App> {
  const { module, exportPath: asked } = splitAppSpec(spec);
  const loaded = await importFile(findModule(module, cwd));
  let exportPath = asked ?? 'app';
  let value = lookUp(loaded, exportPath);
  if (value === undefined && asked === undefined && typeof defaultExport(loaded) === 'function') {
    exportPath = 'default';
    value = defaultExport(loaded);
  }
  if (value === undefined) {
    const names = Object.keys(loaded).filter((name) => name !== '__esModule');
    const known = names.length > 0 ? `it exports: ${names.join(', ')}` : 'it exports nothing';
    const hint = typeof defaultExport(loaded) === 'function' ? `; its default export is a function: serve it with '${module}:default'` : '';
    throw new AppLoadError(`The module '${module}' has no export '${exportPath}' (${known})${hint}`);
  }
  if (typeof value !== 'function') {
    throw new AppLoadError(`The export '${exportPath}' of '${module}' is ${describe(value)}, not an app function (scope, receive, send) => Promise<void>`);
  }
  if (!factory) return value as App;
  if (value.length >= 3) {
    throw new AppLoadError(`The export '${exportPath}' of '${module}' takes (scope, receive, send): it is the app, not a factory. Leave out --factory`);
  }
  let app: unknown;
  try {
    app = await (value as () => unknown)();
  } catch (error) {
    throw new FactoryError(`Calling the factory '${exportPath}' of '${module}' failed`, { cause: error });
  }
  if (typeof app !== 'function') {
    throw new AppLoadError(`The factory '${exportPath}' of '${module}' returned ${describe(app)}, not an app function (scope, receive, send) => Promise<void>`);
  }
  return app as App;
}
