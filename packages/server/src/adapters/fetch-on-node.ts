import type { App } from '@portico/protocol';
import { nodeFiles } from '../file-body';
import { toFetchHandler as toFetchHandlerAnywhere, type FetchHandler, type FetchHandlerOptions } from './fetch';

/**
 * `toFetchHandler` as `@portico/server` exports it: `http.response.pathsend` reads files with
 * `node:fs` unless `options.files` says otherwise. `@portico/server/fetch` has the one without
 * any `node:` module, for Workers.
 *
 * @example
 * import { toFetchHandler } from '@portico/server';
 * Deno.serve(toFetchHandler(app));
 */
export function toFetchHandler(app: App, options: FetchHandlerOptions = {}): FetchHandler {
  return toFetchHandlerAnywhere(app, { files: nodeFiles, ...options });
}
