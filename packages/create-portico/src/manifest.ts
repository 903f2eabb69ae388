import { LIBRARY_VERSIONS, NODE_ENGINES, TOOL_VERSIONS } from './versions';
import type { Template } from './templates';

/** The generated project's package.json. */
export interface ProjectManifest {
  name: string;
  version: string;
  private: true;
  type: 'module';
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  engines: { node: string };
  scarfSettings?: { enabled: false };
}

/** A name npm accepts, from a folder name: lower case, URL-safe, not starting with `.` or `_`. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .slice(0, 214);
  return name === '' ? 'portico-app' : name;
}

/** Dependencies in the order npm writes them, so a later `npm install x` leaves a small diff. */
function sortedByName(ranges: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ranges).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function projectManifest(name: string, template: Template, portico: Record<string, string>): ProjectManifest {
  const manifest: ProjectManifest = {
    name,
    version: '0.1.0',
    private: true,
    // ES modules: top-level await, and the `import` syntax the READMEs show, run as written.
    type: 'module',
    scripts: {
      dev: 'portico serve app.ts --reload',
      start: 'portico serve app.ts',
      build: 'tsc',
      typecheck: 'tsc --noEmit',
      // Node's own runner through tsx: TypeScript tests with no config; the shell expands the glob (Node 20 takes no patterns).
      test: 'node --import tsx --test test/*.test.ts',
    },
    dependencies: sortedByName({ ...portico, ...Object.fromEntries((template.libraries ?? []).map((name) => [name, LIBRARY_VERSIONS[name]])) }),
    devDependencies: sortedByName(TOOL_VERSIONS),
    engines: { node: NODE_ENGINES },
  };
  if (template.scarfOff === true) manifest.scarfSettings = { enabled: false };
  return manifest;
}
