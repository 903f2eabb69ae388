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
 * Returns `start(app, options)`: a `Server` on a free loopback port with its log captured. Every
 * server started in a test is closed after it.
 */
export function useServers(): (app: App, options?: ServerOptions) => Promise<TestServer> {
  const started: Server[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close().catch(() => undefined)));
  });
  return async (app, options = {}) => {
    const logs: string[] = [];
    const server = new Server(app, {
      port: 0,
      useColors: false,
      logStream: { write: (chunk: string) => logs.push(...chunk.split('\n').filter(Boolean)) },
      ...options,
    });
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
