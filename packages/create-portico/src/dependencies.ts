import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CreateError } from './errors';
import { porticoClosure, type Template } from './templates';

/** The file `npm pack` names a Portico package's tarball. */
export function tarballName(name: string, version: string): string {
  return `portico-${name}-${version}.tgz`;
}

/**
 * The `@portico/*` dependencies of a project from `template`: `^version` from the registry, or,
 * with a tarball folder, `file:` specs for each needed package and the ones it depends on (npm
 * resolves those between the tarballs, never from the registry).
 */
export function porticoDependencies(template: Template, version: string, project: string, tarballs: string | undefined): Record<string, string> {
  if (tarballs === undefined) return Object.fromEntries([...template.portico].sort().map((name) => [`@portico/${name}`, `^${version}`]));
  const needed = porticoClosure(template);
  const missing = needed.filter((name) => !existsSync(join(tarballs, tarballName(name, version))));
  if (missing.length > 0) {
    const files = missing.map((name) => tarballName(name, version)).join(', ');
    const pack = missing.map((name) => `-w packages/${name}`).join(' ');
    throw new CreateError(`The folder ${tarballs} has no ${files}: in a Portico clone, run npm pack ${pack} --pack-destination ${tarballs} (npm does not create the folder)`);
  }
  return Object.fromEntries(
    needed.map((name) => [`@portico/${name}`, `file:${relative(project, join(tarballs, tarballName(name, version))).split(sep).join('/')}`]),
  );
}
