import { basename, dirname, join } from 'node:path';
import type { Snippet } from './extract';

/**
 * Where each snippet lives as a module. The blocks of one markdown file sit together in a
 * folder beside it, `<dir>/.doctest-<name>/`, marked `"type": "module"`; a block with
 * `file app.ts` is `app.ts` there, so the others import it as './app.js'. A relative import
 * that no block provides falls back to the real file beside the markdown (examples/gateways/app.ts).
 */
export interface SnippetModule {
  readonly snippet: Snippet;
  /** Absolute path of the module. */
  readonly path: string;
  /** The module's text: given code, the blocks it continues, the block, `export {}`. */
  readonly source: string;
  /** Markdown line of each line of `source` (0 for the added `export {}`). */
  readonly lines: readonly number[];
}

export const MODULE_PACKAGE_JSON = '{ "type": "module" }\n';

export function moduleFolder(root: string, markdownFile: string): string {
  return join(root, dirname(markdownFile), `.doctest-${basename(markdownFile, '.md')}`);
}

/** The modules of one markdown file's snippets, skipped ones left out. */
export function snippetModules(root: string, snippets: readonly Snippet[]): SnippetModule[] {
  const modules: SnippetModule[] = [];
  let previous: { code: string[]; lines: number[] } | undefined;
  for (const snippet of snippets) {
    const code: string[] = [];
    const lines: number[] = [];
    const add = (text: string, line: number): void => {
      text.split('\n').forEach((part, offset) => {
        code.push(part);
        lines.push(line + offset);
      });
    };
    if (snippet.directives.continues) {
      if (!previous) throw new Error(`${snippet.file}:${snippet.line}: 'continues' but no block before it`);
      code.push(...previous.code);
      lines.push(...previous.lines);
    }
    if (snippet.directives.given) add(snippet.directives.given.code, snippet.directives.given.line);
    add(snippet.code, snippet.line);
    previous = { code: [...code], lines: [...lines] };
    if (snippet.directives.skip !== undefined) continue;
    // Every snippet is a module, even one without import or export: no globals shared between them.
    code.push('export {};');
    lines.push(0);
    const name = snippet.directives.file ?? `L${snippet.line}.ts`;
    modules.push({ snippet, path: join(moduleFolder(root, snippet.file), name), source: code.join('\n'), lines });
  }
  return modules;
}
