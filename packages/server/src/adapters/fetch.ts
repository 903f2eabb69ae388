import type { App, HeaderList } from '@portico/protocol';
import type { FileAccess } from '../cycle/files';
import { HttpCycle } from '../cycle/http-cycle';
import { NO_EXTENSIONS, PATHSEND_ONLY } from '../extensions';
import { httpScope, parseTarget, type ScopeOrigin } from '../scope';
import { AdapterRuntime, type AdapterLifespan, type AdapterOptions } from './adapter-runtime';
import { FetchTransport } from './fetch-transport';

/** What some runtimes pass next to the request: Deno's `ServeHandlerInfo`, for one. */
export interface FetchConnectionInfo {
  remoteAddr?: { hostname: string; port: number };
}

/**
 * A Portico app as a fetch handler, `(request) => Promise<Response>`, for Deno, Bun, Cloudflare
 * Workers and any runtime that serves `Request`s. Lifespan startup runs on the first request or on
 * an explicit `await handler.startup()`; `handler.shutdown()` runs lifespan shutdown.
 */
export interface FetchHandler extends AdapterLifespan {
  (request: Request, info?: FetchConnectionInfo): Promise<Response>;
}

export interface FetchHandlerOptions extends AdapterOptions {
  /**
   * Where `http.response.pathsend` reads files. `toFetchHandler` from `@portico/server` reads them
   * with `node:fs` (Node, Deno, Bun); from `@portico/server/fetch` there is no default, and without
   * one the scope does not list the extension (Workers have no file system).
   */
  files?: FileAccess | null;
}

/**
 * Serve a Portico app through the fetch API. Bodies stream both ways as web streams (the request
 * body through `receive`, the response as a `ReadableStream` the runtime pulls, so `send` waits for
 * a slow client); `request.signal` aborting becomes `http.disconnect`. Each request is one
 * `HttpCycle`, as in every host. Scope: `httpVersion` '1.1' (fetch does not say), headers as the
 * `Headers` object gives them (lower case, sorted, repeats joined with ", "), `client` from
 * `info.remoteAddr` when the runtime passes it, `server` null.
 *
 * @example
 * import { toFetchHandler } from '@portico/server/fetch';
 * const handler = toFetchHandler(app);
 * Deno.serve(handler);                          // Deno
 * export default { fetch: handler };            // Bun, Cloudflare Workers
 * const response = await handler(new Request('http://localhost/hello')); // anywhere, e.g. a test
 */
export function toFetchHandler(app: App, options: FetchHandlerOptions = {}): FetchHandler {
  const { files = null, ...adapterOptions } = options;
  const runtime = new AdapterRuntime(app, adapterOptions, 'toFetchHandler', files);
  const { rootPath } = runtime.config;
  const extensions = files === null ? NO_EXTENSIONS : PATHSEND_ONLY;
  const state = runtime.state;
  const http: ScopeOrigin = { scheme: 'http', rootPath, state, extensions };
  const https: ScopeOrigin = { scheme: 'https', rootPath, state, extensions };
  const handler = async (request: Request, info?: FetchConnectionInfo): Promise<Response> => {
    await runtime.startup();
    const url = new URL(request.url);
    const target = parseTarget(url.pathname + url.search);
    const headers: HeaderList = [];
    for (const [name, value] of request.headers) headers.push([name, value]);
    if (!request.headers.has('host')) headers.unshift(['host', url.host]);
    const remote = info?.remoteAddr;
    const client = remote === undefined ? null : { host: remote.hostname, port: remote.port };
    const origin = url.protocol === 'https:' ? https : http;
    // An undecodable path never reaches the app: its scope keeps the path as sent, for the log.
    const scope = httpScope(origin, '1.1', request.method, target ?? { path: url.pathname, rawPath: url.pathname, queryString: url.search.slice(1) }, headers, client, null);
    return new Promise<Response>((resolve, reject) => {
      const transport = new FetchTransport(request, resolve);
      const cycle = new HttpCycle(scope, transport, runtime.cycleSettings);
      if (target === null) {
        runtime.logger.warning(`Invalid HTTP request received from ${remote?.hostname ?? 'an unknown client'}: bad request target`);
        cycle.reject(400);
        return;
      }
      void cycle.run(app).then(() => {
        // Only a request whose client left before any response gets none.
        if (!transport.responded) reject(request.signal.reason ?? new Error('The client left before the app responded.'));
      });
    });
  };
  return Object.assign(handler, { startup: runtime.startup, shutdown: runtime.shutdown, state: runtime.state });
}
