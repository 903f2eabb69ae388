import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractSnippets, type Snippet } from './extract';

/** The folders whose markdown files are documentation a reader copies code from. */
const FOLDERS = ['.', 'packages/*', 'examples/*', 'bench', 'docs'];

/** Every markdown file of those folders, relative to the root, in a stable order. */
export function documentFiles(root: string): string[] {
  const folders = FOLDERS.flatMap((folder) => {
    if (!folder.endsWith('/*')) return [folder];
    const parent = folder.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${parent}/${entry.name}`);
  });
  return folders
    .filter((folder) => existsSync(join(root, folder)))
    .flatMap((folder) => readdirSync(join(root, folder)).filter((name) => name.endsWith('.md')).map((name) => (folder === '.' ? name : `${folder}/${name}`)))
    .sort();
}

/** The TypeScript blocks of every document, grouped by file. */
export function documentSnippets(root: string): Map<string, Snippet[]> {
  return new Map(documentFiles(root).map((file) => [file, extractSnippets(file, readFileSync(join(root, file), 'utf8'))]));
}
