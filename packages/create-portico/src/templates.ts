import { join } from 'node:path';
import type { Library } from './versions';

/** The Portico packages a template can depend on, by their name under `@portico/`. */
export type PorticoPackage = 'protocol' | 'server' | 'framework' | 'api';

/** What each Portico package needs of the others, so tarball installs can list them all. */
export const PORTICO_DEPENDENCIES: Readonly<Record<PorticoPackage, readonly PorticoPackage[]>> = {
  protocol: [],
  server: ['protocol'],
  framework: ['protocol'],
  api: ['framework', 'protocol'],
};

/** A project template: a folder under templates/ plus what its package.json needs. */
export interface Template {
  readonly name: string;
  readonly summary: string;
  /** The Portico packages the project imports or runs. */
  readonly portico: readonly PorticoPackage[];
  /** Other libraries the project imports itself (their ranges are in LIBRARY_VERSIONS). */
  readonly libraries?: readonly Library[];
  /** Turns off the Scarf install analytics that swagger-ui-dist (through @portico/api) would run. */
  readonly scarfOff?: true;
}

export const TEMPLATES: readonly Template[] = [
  { name: 'minimal', summary: 'a framework app: two routes, a middleware and a test', portico: ['framework', 'server'] },
  { name: 'api', summary: 'validated CRUD with @portico/api: zod, bearer auth, OpenAPI docs, a typed client', portico: ['api', 'framework', 'server'], libraries: ['zod'], scarfOff: true },
  { name: 'chat', summary: 'WebSocket rooms with a page to talk in', portico: ['framework', 'server'] },
];

/** The folder the package's templates live in (dist/ and src/ both sit one level below it). */
export const TEMPLATES_DIR = join(__dirname, '..', 'templates');

/** The Portico packages a project from `template` needs installed, direct ones and theirs. */
export function porticoClosure(template: Template): PorticoPackage[] {
  const needed = new Set<PorticoPackage>();
  const visit = (name: PorticoPackage): void => {
    if (needed.has(name)) return;
    needed.add(name);
    PORTICO_DEPENDENCIES[name].forEach(visit);
  };
  template.portico.forEach(visit);
  return [...needed].sort();
}
