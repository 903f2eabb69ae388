import { dirname, basename, join } from 'node:path';
import ts from 'typescript';
import { MODULE_PACKAGE_JSON, type SnippetModule } from './modules';
import { porticoPaths } from './paths';

/** A type error, placed at its markdown line. */
export interface SnippetDiagnostic {
  readonly line: number;
  readonly message: string;
}

/** The repo's strictness (tsconfig.base.json), `@portico/*` on the sources, nothing emitted. */
export function snippetCompilerOptions(root: string): ts.CompilerOptions {
  const base = join(root, 'tsconfig.base.json');
  const read = ts.readConfigFile(base, (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, base);
  return {
    ...options,
    noEmit: true,
    composite: false,
    incremental: false,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    // A snippet shows a declaration or a parameter without always using it.
    noUnusedLocals: false,
    noUnusedParameters: false,
    paths: porticoPaths(root),
  };
}

/**
 * Type-checks every snippet in one Program (the package sources are checked once, not once
 * per snippet) and returns each snippet's diagnostics by module path.
 */
export function checkModules(root: string, modules: readonly SnippetModule[]): Map<string, SnippetDiagnostic[]> {
  const options = snippetCompilerOptions(root);
  const byPath = new Map(modules.map((module) => [module.path, module]));
  const folders = new Set(modules.map((module) => dirname(module.path)));
  const host = ts.createCompilerHost(options);
  // A file in a snippet folder: a block, the folder's package.json, or the real file beside the markdown.
  const virtual = (path: string): string | undefined => {
    const module = byPath.get(path);
    if (module) return module.source;
    if (!folders.has(dirname(path))) return undefined;
    if (basename(path) === 'package.json') return MODULE_PACKAGE_JSON;
    return ts.sys.readFile(join(dirname(dirname(path)), basename(path)));
  };
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (path) => virtual(path) !== undefined || fileExists.call(host, path);
  host.readFile = (path) => virtual(path) ?? readFile.call(host, path);
  host.directoryExists = (path) => folders.has(path) || (directoryExists?.call(host, path) ?? ts.sys.directoryExists(path));
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = virtual(path);
    return text === undefined ? getSourceFile.call(host, path, languageVersion, onError, shouldCreate) : ts.createSourceFile(path, text, languageVersion, true);
  };
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options, host });
  const result = new Map<string, SnippetDiagnostic[]>(modules.map((module) => [module.path, []]));
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const module of modules) {
    const sourceFile = program.getSourceFile(module.path);
    const found = sourceFile ? [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)] : [];
    result.set(module.path, [...diagnostics, ...found].map((diagnostic) => place(module, diagnostic)));
  }
  return result;
}

function place(module: SnippetModule, diagnostic: ts.Diagnostic): SnippetDiagnostic {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) return { line: module.snippet.line, message };
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  if (diagnostic.file.fileName !== module.path) return { line: module.snippet.line, message: `${diagnostic.file.fileName}:${line + 1}: ${message}` };
  return { line: module.lines[line] ?? module.snippet.line, message };
}
