import { afterEach } from '@jest/globals';
import type { App, HttpReceive, HttpScope, HttpSend } from '@portico/protocol';
import { Server, type ServerOptions } from '@portico/server';

export interface TestServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every log line so far, without colours. */
  logs: string[];
}

/** An app for the HTTP scope only (no lifespan work), as most tests want. */
export function httpApp(handler: (scope: HttpScope, receive: HttpReceive, send: HttpSend) => Promise<void>): App {
  return async (scope, receive, send) => {
    if (scope.type === 'http') await handler(scope, receive as HttpReceive, send as HttpSend);
  };
}

/**
 * The HTTP/1.1 implementation the behaviour tests run against: `PORTICO_TEST_HTTP1=portico` (set by
 * the Jest project `packages/server (http1: portico)`) or, by default, the server's own default.
 */
export const TEST_HTTP1: ServerOptions['http1'] = testHttp1(process.env['PORTICO_TEST_HTTP1']);

function testHttp1(value: string | undefined): ServerOptions['http1'] {
  if (value === undefined || value === '') return undefined;
  if (value === 'node' || value === 'portico') return value;
  throw new Error(`PORTICO_TEST_HTTP1 is '${value}'; expected 'node' or 'portico'`);
}

/**
 * `options` with the HTTP/1.1 implementation under test, where they ask for a plain HTTP/1.1 port
 * (an HTTP/2, 'auto' or FastCGI one has no choice of it); options that name one keep theirs.
 *
 * @example
 * const server = new Server(app, withTestHttp1({ port: 0 }));
 */
export function withTestHttp1(options: ServerOptions): ServerOptions {
  if (TEST_HTTP1 === undefined || options.http1 !== undefined) return options;
  if ((options.http ?? '1.1') !== '1.1' || (options.interface ?? 'http') !== 'http') return options;
  return { ...options, http1: TEST_HTTP1 };
}

/**
 * Returns `start(app, options)`: a `Server` on a free loopback port with its log captured, on the
 * HTTP/1.1 implementation under test (`withTestHttp1`). Every server started in a test is closed
 * after it.
 */
export function useServers(): (app: App, options?: ServerOptions) => Promise<TestServer> {
  const started: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close().catch(() => undefined)));
  });
  return async (app, options = {}) => {
    const logs: string[] = [];
    const server = new Server(
      app,
      withTestHttp1({
        port: 0,
        useColors: false,
        logStream: { write: (chunk: string) => logs.push(...chunk.split('\n').filter(Boolean)) },
        ...options,
      }),
    );
    started.push(server);
    await server.start();
    const address = server.address;
    const port = address.kind === 'tcp' ? address.port : 0;
    return { server, port, url: server.url, logs };
  };
}

/** A promise and its resolve function, for apps that report to the test or wait for it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
