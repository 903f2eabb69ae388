import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CreateError } from './errors';
import { packageName, projectManifest } from './manifest';
import { TEMPLATES_DIR, type Template } from './templates';

/** What to generate, where. */
export interface ScaffoldOptions {
  /** The project folder, absolute; created when missing. */
  readonly directory: string;
  readonly template: Template;
  /** The `@portico/*` dependencies with their specs (see `porticoDependencies`). */
  readonly portico: Record<string, string>;
  /** Write into a folder that is not empty, replacing files of the same name. */
  readonly force: boolean;
}

/** npm drops `.gitignore` from tarballs, so templates keep it without the dot. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** Throws unless `directory` is missing, empty (a `.git` folder aside) or `force` is on. */
export function checkTarget(directory: string, force: boolean): void {
  if (!existsSync(directory)) return;
  if (!statSync(directory).isDirectory()) throw new CreateError(`${directory} exists and is not a folder: pick another project folder.`);
  const entries = readdirSync(directory).filter((entry) => entry !== '.git');
  if (entries.length === 0 || force) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  throw new CreateError(`The folder ${directory} is not empty (it holds ${shown}). Pick a new folder, or pass --force to write into it anyway.`);
}

function copyTree(from: string, to: string, name: string, written: string[], root: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, RENAMED[entry.name] ?? entry.name);
    if (entry.isDirectory()) {
      copyTree(source, target, name, written, root);
      continue;
    }
    // Only the README names the project; everything else is copied byte for byte.
    if (entry.name === 'README.md') writeFileSync(target, readFileSync(source, 'utf8').replaceAll('{{name}}', name));
    else copyFileSync(source, target);
    written.push(relative(root, target));
  }
}

/** Generate the project; returns the files written, relative to the project folder, sorted. */
export function scaffold(options: ScaffoldOptions): string[] {
  checkTarget(options.directory, options.force);
  const name = packageName(basename(options.directory));
  const written: string[] = [];
  copyTree(join(TEMPLATES_DIR, options.template.name), options.directory, name, written, options.directory);
  const manifest = projectManifest(name, options.template, options.portico);
  writeFileSync(join(options.directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  written.push('package.json');
  return written.sort();
}
