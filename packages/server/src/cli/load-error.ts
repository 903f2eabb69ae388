import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

interface Location {
  file: string;
  line: number;
  /** 1-based, as editors count. */
  column: number;
}

/** esbuild (through tsx): `/srv/app.ts:3:16: ERROR: Unexpected ";"`, the column 0-based. */
const TRANSFORM_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m;
/** V8's head of a syntax error's stack: the file and line, the source line, a caret under the column. */
const V8_HEAD = /^(.+):(\d+)\n(.*)\n( *)\^/;
/** Frames of Node, of the loader and of this CLI: noise under an error in the user's module. */
const NOISE = [/\(node:/, /at node:/, /[\\/]node_modules[\\/](tsx|esbuild)[\\/]/, /data:text\/javascript/];

/** tsx names a `.mts`/`.cts` file `.ts` in its messages; find the file that exists. */
function realFile(file: string): string {
  if (existsSync(file) || !file.endsWith('.ts')) return file;
  return ['.mts', '.cts'].map((extension) => file.slice(0, -3) + extension).find((candidate) => existsSync(candidate)) ?? file;
}

function shown(file: string, cwd: string): string {
  const path = relative(cwd, file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path;
}

/** The source line under a caret, numbered, as compilers print it. */
function codeFrame({ file, line, column }: Location): string[] {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
  } catch {
    return [];
  }
  if (text === undefined) return [];
  const gutter = String(line);
  return [`  ${gutter} | ${text}`, `  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, column - 1))}^`];
}

function fromV8Head(stack: string): Location | null {
  const head = V8_HEAD.exec(stack);
  if (head === null) return null;
  const file = (head[1] as string).replace(/^file:\/\//, '');
  return { file: decodeURIComponent(file), line: Number(head[2]), column: (head[4] as string).length + 1 };
}

/** Node does not say where an ES module's syntax error is; `node --check` on the app does. */
function checkSyntax(appFile: string): Location | null {
  const result = spawnSync(process.execPath, ['--check', appFile], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? null : fromV8Head(result.stderr ?? '');
}

function syntaxError(error: Error, appFile: string): { where: Location | null; message: string } | null {
  const transform = TRANSFORM_ERROR.exec(error.message);
  if (transform !== null) {
    const where = { file: realFile(transform[1] as string), line: Number(transform[2]), column: Number(transform[3]) + 1 };
    return { where, message: transform[4] as string };
  }
  if (!(error instanceof SyntaxError)) return null;
  return { where: fromV8Head(error.stack ?? '') ?? (appFile === '' ? null : checkSyntax(appFile)), message: error.message };
}

/**
 * What to tell the user when loading the app threw: for a syntax error its place
 * (`app.ts:3:17`), the message and the line with a caret; for an error thrown by the module's
 * code, its message and the frames in the user's files, without those of Node, tsx or this CLI.
 *
 * @example
 * describeLoadError(error, '/srv/app/app.ts', '/srv/app');
 * // SyntaxError in app.ts:3:17: Unexpected ";"\n  3 |   return scope +;\n    |                ^
 */
export function describeLoadError(error: unknown, appFile: string, cwd: string): string {
  if (!(error instanceof Error)) return `thrown value: ${String(error)}`;
  const syntax = syntaxError(error, appFile);
  if (syntax !== null) {
    if (syntax.where === null) return `SyntaxError in a module the app imports: ${syntax.message}`;
    const { file, line, column } = syntax.where;
    return [`SyntaxError in ${shown(file, cwd)}:${line}:${column}: ${syntax.message}`, ...codeFrame(syntax.where)].join('\n');
  }
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line) && !line.includes(__dirname) && !NOISE.some((noise) => noise.test(line)));
  return [`${error.name}: ${error.message}`, ...frames].join('\n');
}
