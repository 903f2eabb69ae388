import { gatewayInfo, type App, type Extensions, type HeaderList, type HttpScope } from '@portico/protocol';
import { HttpCycle } from '../cycle/http-cycle';
import { parseTarget } from '../scope';
import { AdapterRuntime, type AdapterLifespan, type AdapterOptions } from './adapter-runtime';
import { FetchTransport } from './fetch-transport';

/** Fetch has no trailers and no 1xx responses; a file is streamed as body chunks. */
const EXTENSIONS: Extensions = Object.freeze({ 'http.response.pathsend': Object.freeze({}) });

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

export type FetchHandlerOptions = AdapterOptions;

/**
 * Serve a Portico app through the fetch API. Bodies stream both ways as web streams (the request
 * body through `receive`, the response as a `ReadableStream` the runtime pulls, so `send` waits for
 * a slow client); `request.signal` aborting becomes `http.disconnect`. Each request is one
 * `HttpCycle`, as in every host. Scope: `httpVersion` '1.1' (fetch does not say), headers as the
 * `Headers` object gives them (lower case, sorted, repeats joined with ", "), `client` from
 * `info.remoteAddr` when the runtime passes it, `server` null.
 *
 * @example
 * import { toFetchHandler } from '@portico/server';
 * const handler = toFetchHandler(app);
 * Deno.serve(handler);                          // Deno
 * export default { fetch: handler };            // Bun, Cloudflare Workers
 * const response = await handler(new Request('http://localhost/hello')); // anywhere, e.g. a test
 */
export function toFetchHandler(app: App, options: FetchHandlerOptions = {}): FetchHandler {
  const runtime = new AdapterRuntime(app, options, 'toFetchHandler');
  const handler = async (request: Request, info?: FetchConnectionInfo): Promise<Response> => {
    await runtime.startup();
    const url = new URL(request.url);
    const target = parseTarget(url.pathname + url.search);
    if (target === null) return new Response('Bad Request', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const headers: HeaderList = [];
    for (const [name, value] of request.headers) headers.push([name, value]);
    if (!request.headers.has('host')) headers.unshift(['host', url.host]);
    const remote = info?.remoteAddr;
    const scope: HttpScope = {
      type: 'http',
      gateway: gatewayInfo,
      httpVersion: '1.1',
      method: request.method,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      path: target.path,
      rawPath: target.rawPath,
      queryString: target.queryString,
      rootPath: runtime.config.rootPath,
      headers,
      client: remote === undefined ? null : { host: remote.hostname, port: remote.port },
      server: null,
      state: { ...runtime.state },
      extensions: EXTENSIONS,
    };
    return new Promise<Response>((resolve, reject) => {
      const transport = new FetchTransport(request, resolve);
      void new HttpCycle(scope, transport, runtime.cycleSettings).run(app).then(() => {
        // Only a request whose client left before any response gets none.
        if (!transport.responded) reject(request.signal.reason ?? new Error('The client left before the app responded.'));
      });
    });
  };
  return Object.assign(handler, { startup: runtime.startup, shutdown: runtime.shutdown, state: runtime.state });
}
