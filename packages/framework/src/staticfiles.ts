import { statSync, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { HttpScope, Receive, Scope, Send } from '@portico/protocol';
import { checkBoolean, checkOptions, describeValue } from './arguments';
import type { ConnectionScope } from './connection';
import { URL } from './datastructures';
import { HTTPException } from './exceptions';
import { ProtocolApp } from './protocol-app';
import { FileResponse } from './responses/file-response';
import { RedirectResponse } from './responses/redirect';
import { PlainTextResponse } from './responses/text';

export interface StaticFilesOptions {
  /** The directory to serve; nothing outside it is ever served. */
  directory: string;
  /** HTML mode: `/docs/` serves `docs/index.html`, and a missing file serves `404.html` (with status 404) when there is one. Default false. */
  html?: boolean;
  /** Check when constructed that `directory` exists and is a directory. Default true. */
  checkDir?: boolean;
  /** Serve symlinks that lead outside `directory`. Default false: only links whose target is inside it are followed. */
  followSymlinks?: boolean;
}

/** The StaticFiles directory is missing or not a directory. */
export class StaticFilesError extends Error {
  override readonly name = 'StaticFilesError';
}

type Found = { kind: 'file'; path: string } | { kind: 'directory' } | null;

/**
 * Serve the files of a directory, mounted under a path. Files go out as FileResponse, so ETag,
 * Last-Modified, 304, Range/206 and HEAD all work, with the Content-Type from `mime-types`. Only
 * GET and HEAD (405 otherwise). A path that leaves the directory (`..`, `%2e%2e`, an absolute
 * path, a NUL byte, a symlink out of it unless `followSymlinks`) is a 404, like a missing file.
 *
 * @example
 * new App({ routes: [new Mount('/static', new StaticFiles({ directory: 'public' }), { name: 'static' })] });
 * // request.urlFor('static', { path: '/app.css' }) → /static/app.css
 */
export class StaticFiles extends ProtocolApp {
  readonly directory: string;
  readonly html: boolean;
  readonly followSymlinks: boolean;
  #root: Promise<string> | undefined;

  constructor(options: StaticFilesOptions) {
    super();
    if (typeof options === 'string') throw new TypeError(`new StaticFiles(options) takes an options object, got ${describeValue(options)} (write new StaticFiles({ directory: ${JSON.stringify(options)} }))`);
    const { directory, html, checkDir, followSymlinks } = checkOptions(options, 'new StaticFiles(options)', { directory: true, html: true, checkDir: true, followSymlinks: true });
    if (typeof directory !== 'string' || directory === '') throw new TypeError(`new StaticFiles({ directory }) takes the path of a directory, got ${describeValue(directory)}`);
    this.directory = resolve(directory);
    this.html = checkBoolean(html, 'new StaticFiles({ html })') ?? false;
    this.followSymlinks = checkBoolean(followSymlinks, 'new StaticFiles({ followSymlinks })') ?? false;
    if (checkBoolean(checkDir, 'new StaticFiles({ checkDir })') ?? true) {
      let stats: Stats | undefined;
      try {
        stats = statSync(this.directory);
      } catch {
        // reported below
      }
      if (!stats?.isDirectory()) throw new StaticFilesError(`StaticFiles directory '${this.directory}' does not exist or is not a directory`);
    }
  }

  async handle(scope: Scope, receive: Receive, send: Send): Promise<void> {
    if (scope.type !== 'http') throw new TypeError(`StaticFiles serves http scopes, not '${scope.type}'`);
    if (scope.method !== 'GET' && scope.method !== 'HEAD') return this.#answer(scope, receive, send, 405, { allow: 'GET, HEAD' });
    const path = scope.path === '' ? '/' : scope.path;
    const found = await this.#lookup(path);
    if (found?.kind === 'file') return new FileResponse(found.path).handle(scope, receive, send);
    if (found?.kind === 'directory' && this.html) {
      if (!path.endsWith('/')) {
        // Relative links in index.html resolve against the directory only with the slash.
        const url = URL.fromScope(scope);
        return new RedirectResponse(url.replace({ path: `${url.path}/` }).href).handle(scope, receive, send);
      }
      const index = await this.#lookup(`${path}index.html`);
      if (index?.kind === 'file') return new FileResponse(index.path).handle(scope, receive, send);
    }
    if (this.html) {
      const notFound = await this.#lookup('/404.html');
      if (notFound?.kind === 'file') return new FileResponse(notFound.path, { status: 404 }).handle(scope, receive, send);
    }
    return this.#answer(scope, receive, send, 404);
  }

  /**
   * What a URL path names inside the directory. The path is already percent-decoded, so `%2e%2e`
   * arrives as `..`: any `..` segment, NUL byte or backslash is refused outright, then the
   * resolved path (and, unless `followSymlinks`, its real path) must stay inside the directory.
   */
  async #lookup(urlPath: string): Promise<Found> {
    if (urlPath.includes('\0') || urlPath.includes('\\') || urlPath.split('/').includes('..')) return null;
    const candidate = resolve(this.directory, `.${urlPath}`);
    if (!inside(candidate, this.directory)) return null;
    let path = candidate;
    try {
      if (!this.followSymlinks) {
        path = await realpath(candidate);
        if (!inside(path, await this.#realRoot())) return null;
      }
      const stats = await stat(path);
      if (stats.isFile()) return { kind: 'file', path };
      return stats.isDirectory() ? { kind: 'directory' } : null;
    } catch {
      return null; // missing, unreadable, a dangling link: not found
    }
  }

  /** The directory with its own symlinks resolved, once (it may be created after the app, with checkDir false). */
  #realRoot(): Promise<string> {
    return (this.#root ??= realpath(this.directory).catch((error: unknown) => {
      this.#root = undefined;
      throw error;
    }));
  }

  /** 404 and 405 go through the App's exception handlers when there is an App. */
  async #answer(scope: HttpScope, receive: Receive, send: Send, status: 404 | 405, headers?: Record<string, string>): Promise<void> {
    if ((scope as ConnectionScope).app !== undefined) throw new HTTPException(status, undefined, headers);
    return new PlainTextResponse(status === 404 ? 'Not Found' : 'Method Not Allowed', { status, ...(headers && { headers }) }).handle(scope, receive, send);
  }
}

function inside(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory.endsWith(sep) ? directory : directory + sep);
}
