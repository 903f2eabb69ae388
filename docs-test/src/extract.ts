/**
 * Finds the TypeScript code blocks (```ts / ```typescript) of a markdown file and the doctest
 * directives written in an HTML comment just before each one:
 *
 *   <!-- doctest: continues -->        the previous TypeScript block of the file comes first
 *   <!-- doctest: file app.ts -->      later blocks of the file import this one as './app.js'
 *   <!-- doctest: run -->              also executed; `// →` and `// prints:` comments are its stdout
 *   <!-- doctest: serve -->            executed until it listens, then stopped with SIGINT
 *   <!-- doctest: skip (reason) -->    not checked at all (the reason is required)
 *   <!-- doctest: given                code the reader does not need (imports, declarations),
 *   declare const db: Database;          checked before the block but not shown
 *   -->
 *
 * Several words may share one comment (`<!-- doctest: file app.ts run -->`).
 */

export interface Directives {
  readonly continues: boolean;
  readonly run: boolean;
  readonly serve: boolean;
  /** The module name other blocks of the same file import it by. */
  readonly file?: string;
  readonly skip?: string;
  /** Hidden code prepended to the block, and the markdown line it starts on. */
  readonly given?: { readonly code: string; readonly line: number };
}

export interface Snippet {
  /** The markdown file, as given to `extractSnippets`. */
  readonly file: string;
  /** 1-based markdown line of the block's first code line. */
  readonly line: number;
  readonly code: string;
  readonly directives: Directives;
}

export class DoctestSyntaxError extends Error {
  override name = 'DoctestSyntaxError';
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const DIRECTIVE_START = /^\s*<!--\s*doctest:(.*)$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);

interface Pending {
  words: string;
  given?: { code: string; line: number };
  line: number;
}

export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  let pending: Pending | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const directive = DIRECTIVE_START.exec(text);
    if (directive) {
      if (pending) throw new DoctestSyntaxError(`${file}:${pending.line + 1}: two doctest comments before one block`);
      const { comment, end } = readComment(file, lines, index, directive[1] ?? '');
      pending = parseComment(comment, index + 1);
      index = end;
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const [, indent = '', marker = '```', language = ''] = fence;
      const close = findClose(lines, index, marker);
      if (close < 0) throw new DoctestSyntaxError(`${file}:${index + 1}: code block never closed`);
      const isTs = TS_LANGUAGES.has(language.toLowerCase());
      if (pending && !isTs) throw new DoctestSyntaxError(`${file}:${pending.line}: doctest comment before a non-TypeScript block`);
      if (isTs) {
        const code = lines.slice(index + 1, close).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())).join('\n');
        snippets.push({ file, line: index + 2, code, directives: toDirectives(file, pending) });
      }
      pending = undefined;
      index = close;
      continue;
    }
    if (pending && text.trim() !== '') throw new DoctestSyntaxError(`${file}:${pending.line}: doctest comment not followed by a code block`);
  }
  if (pending) throw new DoctestSyntaxError(`${file}:${pending.line}: doctest comment not followed by a code block`);
  return snippets;
}

function findClose(lines: readonly string[], open: number, marker: string): number {
  for (let index = open + 1; index < lines.length; index += 1) {
    const trimmed = (lines[index] ?? '').trim();
    if (trimmed.startsWith(marker) && trimmed.replace(/[`~]/g, '') === '') return index;
  }
  return -1;
}

/** The comment's text after `doctest:`, up to `-->`, possibly over several lines. */
function readComment(file: string, lines: readonly string[], start: number, first: string): { comment: string[]; end: number } {
  const comment: string[] = [];
  for (let index = start; index < lines.length; index += 1) {
    const text = index === start ? first : (lines[index] ?? '');
    const close = text.indexOf('-->');
    if (close >= 0) {
      comment.push(text.slice(0, close));
      return { comment, end: index };
    }
    comment.push(text);
  }
  throw new DoctestSyntaxError(`${file}:${start + 1}: doctest comment never closed`);
}

function parseComment(comment: readonly string[], line: number): Pending {
  const [words = '', ...rest] = comment;
  const given = /^(.*?)\bgiven\b(.*)$/.exec(words);
  if (!given) return { words: comment.join(' '), line };
  const code = [given[2] ?? '', ...rest].filter((text, index) => index > 0 || text.trim() !== '');
  return { words: given[1] ?? '', given: { code: code.join('\n').trimEnd(), line: given[2]?.trim() ? line : line + 1 }, line };
}

function toDirectives(file: string, pending: Pending | undefined): Directives {
  const directives: { -readonly [K in keyof Directives]: Directives[K] } = { continues: false, run: false, serve: false };
  if (!pending) return directives;
  if (pending.given) directives.given = pending.given;
  const where = `${file}:${pending.line}`;
  let rest = pending.words.trim();
  while (rest !== '') {
    const skip = /^skip\s*\(([^)]*)\)/.exec(rest);
    const named = /^file\s+([\w.-]+\.ts)\b/.exec(rest);
    const word = /^(continues|run|serve)\b/.exec(rest);
    if (skip) {
      if (!skip[1]?.trim()) throw new DoctestSyntaxError(`${where}: skip needs a reason: skip (why)`);
      directives.skip = skip[1].trim();
    } else if (named) {
      directives.file = named[1] ?? '';
    } else if (word?.[1] === 'continues' || word?.[1] === 'run' || word?.[1] === 'serve') {
      directives[word[1]] = true;
    } else {
      throw new DoctestSyntaxError(`${where}: unknown doctest directive '${rest}'`);
    }
    rest = rest.slice((skip ?? named ?? word)?.[0].length ?? rest.length).trim();
  }
  return directives;
}
