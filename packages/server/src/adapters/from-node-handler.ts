import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { channels, type App, type HeaderList, type HttpReceive, type HttpReceiveEvent, type HttpScope, type HttpSend, type Receive, type Send } from '@portico/protocol';
import { duplexPair } from './duplex-pair';

/** A `node:http` request listener: an Express or Connect app, or any `(req, res) => void`. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Fields that describe one HTTP/1.1 connection, not the request: recomputed for the in-memory one. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

interface Exchange {
  /** `scope.rootPath`: an Express app sees it as `req.baseUrl`, the path below it as `req.url`. */
  rootPath: string;
  /** What the listener threw, if it did. */
  failure: unknown;
  /** The Portico client left: the connection was torn down on purpose, so its errors are expected. */
  clientLeft: boolean;
}

/**
 * A `node:http` request listener as a Portico app (the role of Starlette's `WSGIMiddleware`): mount
 * an existing Express app inside a Portico `App` and move it over one route at a time. Each request
 * is real HTTP/1.1 between Node's own client and server over an in-memory connection, so the
 * listener gets a genuine `IncomingMessage`/`ServerResponse` pair, streaming and back-pressure
 * included, and no port is opened. The listener sees the path below `scope.rootPath` as `req.url`,
 * `rootPath` as `req.baseUrl` (and `req.originalUrl` is the whole path), the scope's client and
 * server as the socket's addresses, and `https` as an encrypted socket. HTTP only: a WebSocket
 * scope is an error; the lifespan scope is answered (a listener has none). Response trailers
 * are dropped.
 *
 * @example
 * import express from 'express';
 * import { App, Mount } from '@portico/framework';
 * import { fromNodeHandler } from '@portico/server';
 * const legacy = express().get('/users', (req, res) => res.json([]));
 * const app = new App({ routes: [new Mount('/legacy', fromNodeHandler(legacy))] });
 */
export function fromNodeHandler(listener: NodeRequestListener): App {
  if (typeof listener !== 'function') throw new TypeError(`fromNodeHandler needs a (req, res) request listener; got ${typeof listener}`);
  const exchanges = new WeakMap<Duplex, Exchange>();
  const server = createServer((req, res) => {
    const exchange = exchanges.get(req.socket) as Exchange;
    const express = req as IncomingMessage & { baseUrl?: string; originalUrl?: string };
    express.baseUrl = exchange.rootPath;
    express.originalUrl = exchange.rootPath + (req.url as string);
    try {
      listener(req, res);
    } catch (error) {
      exchange.failure = error;
      req.socket.destroy();
    }
  });
  return async (scope, receive, send) => {
    if (scope.type === 'lifespan') return answerLifespan(receive, send);
    if (scope.type !== 'http') throw new Error(`fromNodeHandler serves HTTP requests only; got a '${scope.type}' scope`);
    const [clientEnd, serverEnd] = duplexPair();
    const exchange: Exchange = { rootPath: scope.rootPath, failure: undefined, clientLeft: false };
    exchanges.set(serverEnd, exchange);
    Object.assign(serverEnd, socketAddresses(scope));
    server.emit('connection', serverEnd);
    try {
      await forward(scope, channels(scope, receive, send).receive, send, clientEnd, exchange);
    } catch (error) {
      if (exchange.clientLeft) return;
      throw exchange.failure ?? error;
    } finally {
      clientEnd.destroy();
    }
  };
}

/** One request and its response across the in-memory connection. */
async function forward(scope: HttpScope, receive: HttpReceive, send: HttpSend, connection: Duplex, exchange: Exchange): Promise<void> {
  const first = await receive();
  if (first.type === 'http.disconnect') return;
  const hasBody = first.moreBody || first.body.length > 0;
  const req = request({
    createConnection: () => connection,
    method: scope.method,
    path: mountRelativeTarget(scope),
    headers: requestFields(scope, hasBody) as unknown as Record<string, string>,
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // The body goes across while the response may already come back (a 413, say); the client
  // leaving, seen by `receive` at any point, tears the connection down.
  const leave = (): void => {
    exchange.clientLeft = true;
    connection.destroy();
  };
  const uploaded = (async () => {
    let event: HttpReceiveEvent = first;
    for (;;) {
      if (event.type === 'http.disconnect') return leave();
      if (event.body.length > 0 && !req.write(event.body)) await new Promise((resolve) => req.once('drain', resolve));
      if (!event.moreBody) break;
      event = await receive();
    }
    req.end();
    if ((await receive()).type === 'http.disconnect') leave();
  })();
  uploaded.catch(() => undefined);
  const res = await response;
  await send({ type: 'http.response.start', status: res.statusCode ?? 500, headers: responseFields(res.rawHeaders) });
  for await (const chunk of res) await send({ type: 'http.response.body', body: chunk as Buffer, moreBody: true });
  if (!res.complete) throw new Error('The node handler cut its response short.');
  await send({ type: 'http.response.body' });
}

/**
 * The request target below `rootPath`, still percent-encoded: the end of `rawPath` that decodes
 * to `path` (a `Mount` moves its prefix from `path` to `rootPath`, while `rawPath` keeps it).
 */
export function mountRelativeTarget(scope: HttpScope): string {
  const query = scope.queryString === '' ? '' : `?${scope.queryString}`;
  const raw = scope.rawPath;
  for (let at = raw.indexOf('/'); at !== -1; at = raw.indexOf('/', at + 1)) {
    if (safeDecode(raw.slice(at)) === scope.path) return raw.slice(at) + query;
  }
  return encodeURI(scope.path === '' ? '/' : scope.path) + query;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function requestFields(scope: HttpScope, hasBody: boolean): string[] {
  const fields: string[] = [];
  let hasHost = false;
  let hasLength = false;
  for (const [name, value] of scope.headers) {
    if (HOP_BY_HOP.has(name)) continue;
    if (name === 'host') hasHost = true;
    else if (name === 'content-length') hasLength = true;
    fields.push(name, value);
  }
  // Node's server requires a Host on HTTP/1.1; an HTTP/2 scope has one from :authority, others may not.
  if (!hasHost) fields.push('host', scope.server === null ? 'localhost' : `${scope.server.host}:${scope.server.port}`);
  if (hasBody && !hasLength) fields.push('transfer-encoding', 'chunked');
  return fields;
}

function responseFields(raw: readonly string[]): HeaderList {
  const headers: HeaderList = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (!HOP_BY_HOP.has(name)) headers.push([name, raw[i + 1] as string]);
  }
  return headers;
}

/** What `req.socket` says about the peers, taken from the scope. */
function socketAddresses(scope: HttpScope): Record<string, unknown> {
  return {
    remoteAddress: scope.client?.host,
    remotePort: scope.client?.port,
    localAddress: scope.server?.host,
    localPort: scope.server?.port,
    encrypted: scope.scheme === 'https' ? true : undefined,
  };
}

/** A request listener has no lifespan: startup and shutdown simply complete. */
async function answerLifespan(receive: Receive, send: Send): Promise<void> {
  for (;;) {
    const event = await receive();
    if (event.type === 'lifespan.startup') await send({ type: 'lifespan.startup.complete' });
    else if (event.type === 'lifespan.shutdown') return send({ type: 'lifespan.shutdown.complete' });
  }
}
