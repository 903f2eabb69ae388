import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { App } from '@portico/protocol';
import { HttpCycle } from '../cycle/http-cycle';
import { plainResponse } from '../cycle/plain-response';
import { nodeFiles } from '../file-body';
import { Http1Connection } from '../http1/http1-connection';
import { Http1Transport, type Http1TransportSettings } from '../http1/http1-transport';
import { parseTarget } from '../scope';
import { AdapterRuntime, type AdapterLifespan, type AdapterOptions } from './adapter-runtime';
import { NODE_HTTP_EXTENSIONS } from '../extensions';
import { nodeRequestScope } from './node-scope';

/** The surrounding server owns the connection: no `Server` header, no shutdown of its sockets, its own Date and Connection fields. */
const SETTINGS: Http1TransportSettings = {
  serverHeader: false,
  dateHeader: true,
  presetHeaders: true,
  closing: false,
};

/**
 * A Portico app as a `node:http` request listener, `(req, res, next?)`. Lifespan startup runs on the
 * first request or on an explicit `await handler.startup()`; `handler.shutdown()` runs lifespan
 * shutdown.
 */
export interface NodeHandler extends AdapterLifespan {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
}

export type NodeHandlerOptions = AdapterOptions;

/**
 * Serve a Portico app inside any `node:http` server: `http.createServer`, Express, Connect, a
 * Next.js custom server. Each request is an `HttpCycle` over the same `Http1Transport` the HTTP/1.1
 * host uses (body with back-pressure, trailers, files, 103). Mounted with `app.use('/prefix',
 * handler)`, Express's `req.baseUrl` becomes `scope.rootPath` and the app sees the path below it.
 * Mount it before body parsers: a body they consumed reaches the app empty. Proxy headers are the
 * surrounding server's business (Express's `trust proxy`), so the scope keeps the socket's peer.
 * A failed lifespan startup goes to `next(error)` when given, else it is a 500.
 *
 * @example
 * import express from 'express';
 * import { toNodeHandler } from '@portico/server';
 * const server = express();
 * server.use('/portico', toNodeHandler(app)); // GET /portico/items reaches the app as path '/items'
 * server.listen(3000);
 */
export function toNodeHandler(app: App, options: NodeHandlerOptions = {}): NodeHandler {
  const runtime = new AdapterRuntime(app, options, 'toNodeHandler', nodeFiles);
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const transport = new Http1Transport(req, res, false, SETTINGS, Http1Connection.of(req.socket));
    const target = parseTarget(req.url ?? '');
    if (target === null) {
      plainResponse(transport, 400, req.method ?? 'GET');
      return;
    }
    // Express mounted us: `req.url` is below the mount, `baseUrl` the mount, `originalUrl` as sent.
    const { baseUrl, originalUrl } = req as { baseUrl?: unknown; originalUrl?: unknown };
    if (typeof originalUrl === 'string' && originalUrl !== req.url) target.rawPath = parseTarget(originalUrl)?.rawPath ?? target.rawPath;
    const scope = nodeRequestScope(req, target, {
      scheme: (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http',
      rootPath: runtime.config.rootPath + (typeof baseUrl === 'string' ? baseUrl : ''),
      state: runtime.state,
      extensions: NODE_HTTP_EXTENSIONS,
    });
    void new HttpCycle(scope, transport, runtime.cycleSettings).run(app);
  };
  const handler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void => {
    runtime.startup().then(
      () => serve(req, res),
      (error: unknown) => {
        if (next !== undefined) return next(error);
        res.statusCode = 500;
        res.end('Internal Server Error');
      },
    );
  };
  return Object.assign(handler, { startup: runtime.startup, shutdown: runtime.shutdown, state: runtime.state });
}
