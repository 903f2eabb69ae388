import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { matchesGlob } from './glob';

/** The source files `--reload` watches, unless told otherwise. */
export const DEFAULT_INCLUDE: readonly string[] = ['*.ts', '*.mts', '*.cts', '*.js', '*.mjs', '*.cjs', '*.json'];
/** Hidden files and folders, dependencies and build output: never watched unless included by name. */
export const DEFAULT_EXCLUDE: readonly string[] = ['.*', 'node_modules', 'dist', 'build', 'coverage'];

/** The globs of `--reload-include` and `--reload-exclude`, on top of the defaults. */
export interface WatchPatterns {
  include: readonly string[];
  exclude: readonly string[];
}

/**
 * Which paths (relative to a watched folder, `/`-separated) are watched: the user's excludes win,
 * then the user's includes (so `--reload-include '.env'` beats the hidden-file default), then the
 * default excludes and includes.
 */
export class WatchFilter {
  readonly #user: WatchPatterns;

  constructor(user: WatchPatterns) {
    this.#user = user;
  }

  /** A folder is walked unless an exclude matches it. */
  walks(path: string): boolean {
    return ![...this.#user.exclude, ...DEFAULT_EXCLUDE].some((glob) => matchesGlob(path, glob));
  }

  /** A changed file restarts the server. */
  watches(path: string): boolean {
    if (this.#user.exclude.some((glob) => matchesGlob(path, glob))) return false;
    if (this.#user.include.some((glob) => matchesGlob(path, glob))) return true;
    if (DEFAULT_EXCLUDE.some((glob) => matchesGlob(path, glob))) return false;
    return DEFAULT_INCLUDE.some((glob) => matchesGlob(path, glob));
  }
}

const posix = (path: string): string => path.split(sep).join('/');

/**
 * Watches the files under some folders with Node's `fs.watch`, one watcher per directory, walking
 * only folders the filter allows (a recursive `fs.watch` on Linux would also watch every folder of
 * node_modules), and reports changed files in one batch once they have been quiet for `debounceMs`.
 *
 * @example
 * const watcher = new SourceWatcher(['examples/hello'], new WatchFilter({ include: [], exclude: [] }), 100, restart);
 * watcher.close();
 */
export class SourceWatcher {
  readonly #filter: WatchFilter;
  readonly #debounceMs: number;
  readonly #onChange: (files: string[]) => void;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(roots: readonly string[], filter: WatchFilter, debounceMs: number, onChange: (files: string[]) => void) {
    this.#filter = filter;
    this.#debounceMs = debounceMs;
    this.#onChange = onChange;
    for (const root of roots) this.#watchTree(root, root);
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchTree(root: string, directory: string): void {
    if (this.#watchers.has(directory)) return;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
      const watcher = watch(directory, (_event, name) => this.#changed(root, directory, name));
      // The folder went away (or the watch broke): stop watching it rather than crash.
      watcher.on('error', () => {
        watcher.close();
        this.#watchers.delete(directory);
      });
      this.#watchers.set(directory, watcher);
    } catch {
      return; // removed meanwhile, or unreadable: nothing to watch
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory() && this.#filter.walks(posix(relative(root, path)))) this.#watchTree(root, path);
    }
  }

  #changed(root: string, directory: string, name: string | null): void {
    if (name === null) return;
    const path = join(directory, name);
    const shown = posix(relative(root, path)) || name;
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // deleted: a deleted source file is a change too
    }
    if (isDirectory) {
      if (this.#filter.walks(shown)) this.#watchTree(root, path); // a new folder may hold sources later
      return;
    }
    if (!this.#filter.watches(shown)) return;
    this.#pending.add(shown);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = [...this.#pending];
      this.#pending.clear();
      this.#onChange(files);
    }, this.#debounceMs);
  }
}
