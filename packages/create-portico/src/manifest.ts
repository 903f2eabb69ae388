import { NODE_ENGINES, TOOL_VERSIONS } from './versions';
import type { Template } from './templates';

/** The generated project's package.json. */
export interface ProjectManifest {
  name: string;
  version: string;
  private: true;
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

export function projectManifest(name: string, template: Template, portico: Record<string, string>): ProjectManifest {
  const manifest: ProjectManifest = {
    name,
    version: '0.1.0',
    private: true,
    scripts: {
      dev: 'portico serve app.ts --reload',
      start: 'portico serve app.ts',
      build: 'tsc',
      typecheck: 'tsc --noEmit',
      // Node's own runner through tsx: TypeScript tests with no config; the shell expands the glob (Node 20 takes no patterns).
      test: 'node --import tsx --test test/*.test.ts',
    },
    dependencies: portico,
    devDependencies: Object.fromEntries(Object.entries(TOOL_VERSIONS).sort(([a], [b]) => a.localeCompare(b))),
    engines: { node: NODE_ENGINES },
  };
  if (template.scarfOff === true) manifest.scarfSettings = { enabled: false };
  return manifest;
}
