/**
 * The files the docs pages load, from packages on disk: swagger-ui-dist (a dependency) and
 * ReDoc's standalone bundle (vendored into the package at pack time, else the redoc dev
 * dependency of a checkout). Only listed files are served, never the folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A folder of servable files and the version that names its URLs (so they can be cached forever). */
export interface AssetFolder {
  readonly directory: string;
  readonly version: string;
}

/** Swagger UI's files the pages use, with their media types. */
export const SWAGGER_UI_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui.css.map': 'application/json',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-bundle.js.map': 'application/json',
  'oauth2-redirect.js': 'text/javascript',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

let swaggerUi: AssetFolder | undefined;

/**
 * swagger-ui-dist's folder and version.
 *
 * @example
 * swaggerUiFolder(); // { directory: '/app/node_modules/swagger-ui-dist', version: '5.35.0' }
 */
export function swaggerUiFolder(): AssetFolder {
  swaggerUi ??= folderOf(require.resolve('swagger-ui-dist/package.json'));
  return swaggerUi;
}

function folderOf(packageJson: string): AssetFolder {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return { directory: dirname(packageJson), version };
}

/** Where ReDoc's bundle is, or every place looked in when it is nowhere. */
export type RedocBundle = ({ readonly found: true; readonly file: string } & AssetFolder) | { readonly found: false; readonly looked: readonly string[] };

/** The copy `npm pack` puts into the package (scripts/vendor-redoc.mjs), laid out as the redoc package is. */
export const VENDORED_REDOC = join(__dirname, '..', '..', 'vendor', 'redoc');
const BUNDLE = join('bundles', 'redoc.standalone.js');

/**
 * Find ReDoc's standalone bundle: the given file, else the vendored copy, else the redoc package.
 *
 * @example
 * const bundle = findRedocBundle();
 * if (bundle.found) console.log(bundle.file, bundle.version);
 */
export function findRedocBundle(file?: string, vendoredFolder: string = VENDORED_REDOC): RedocBundle {
  if (file !== undefined) {
    return existsSync(file) ? { found: true, file, directory: dirname(file), version: versionNear(file) } : { found: false, looked: [file] };
  }
  const vendored = join(vendoredFolder, BUNDLE);
  if (existsSync(vendored)) return { found: true, file: vendored, ...folderOf(join(vendoredFolder, 'package.json')) };
  try {
    const installed = require.resolve('redoc/bundles/redoc.standalone.js');
    return { found: true, file: installed, directory: dirname(installed), version: versionNear(installed) };
  } catch {
    return { found: false, looked: [vendored, "require.resolve('redoc/bundles/redoc.standalone.js')"] };
  }
}

/** The version in the package.json of the package a bundle sits in; else one made of the file's size and time. */
function versionNear(file: string): string {
  for (const candidate of [join(dirname(file), 'package.json'), join(dirname(file), '..', 'package.json')]) {
    if (!existsSync(candidate)) continue;
    const { version } = JSON.parse(readFileSync(candidate, 'utf8')) as { version?: unknown };
    if (typeof version === 'string') return version;
  }
  const stats = statSync(file);
  return `local-${stats.size.toString(36)}-${Math.trunc(stats.mtimeMs).toString(36)}`;
}
