import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { extname, join, relative } from 'node:path';

const WATCHED_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage']);

/**
 * Watches the source files under a folder with Node's `fs.watch`, one watcher per directory
 * (skipping `node_modules`, build output and hidden folders, so a project root stays cheap), and
 * reports changed files in one batch once they have been quiet for `debounceMs`.
 *
 * @example
 * const watcher = new SourceWatcher('examples/hello', 100, (files) => restart(files));
 * watcher.close();
 */
export class SourceWatcher {
  readonly #root: string;
  readonly #debounceMs: number;
  readonly #onChange: (files: string[]) => void;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(root: string, debounceMs: number, onChange: (files: string[]) => void) {
    this.#root = root;
    this.#debounceMs = debounceMs;
    this.#onChange = onChange;
    this.#watchTree(root);
  }

  close(): void {
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchTree(directory: string): void {
    if (this.#watchers.has(directory)) return;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
      const watcher = watch(directory, (_event, name) => this.#changed(directory, name));
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
      if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) this.#watchTree(join(directory, entry.name));
    }
  }

  #changed(directory: string, name: string | null): void {
    if (name === null) return;
    const path = join(directory, name);
    if (!WATCHED_EXTENSIONS.has(extname(name))) {
      // A new folder may hold sources later.
      if (extname(name) === '' && !name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name)) this.#watchTree(path);
      return;
    }
    this.#pending.add(relative(this.#root, path) || name);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = [...this.#pending];
      this.#pending.clear();
      this.#onChange(files);
    }, this.#debounceMs);
  }
}
