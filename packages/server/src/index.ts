/**
 * @portico/server: hosts any Portico app. `serve(app, options)` or `new Server(app, options)` run
 * it over HTTP/1.1 (or HTTPS), HTTP/2 (`http: '2' | 'auto'`) or FastCGI; the `portico` CLI does the
 * same from the command line. `toFetchHandler` and `toNodeHandler` put an app inside other servers,
 * `fromNodeHandler` puts an Express app inside a Portico one.
 */
export { Server, serve } from './server';
export { resolveConfig, type ServerOptions, type ServerConfig, type TlsMaterial } from './config';
export { ConfigError, LifespanStartupError, LifespanShutdownError, type ConfigIssue } from './errors';
export { Logger, LOG_LEVELS, type LogLevel, type LogStream } from './logger';
export { createLifespan, type Lifespan, type LifespanMode } from './lifespan';
export { handleSignals, type Stoppable } from './signals';
// The app inside other servers: fetch runtimes, and node (req, res) frameworks both ways.
export { toFetchHandler } from './adapters/fetch-on-node';
export type { FetchHandler, FetchHandlerOptions, FetchConnectionInfo } from './adapters/fetch';
export { toNodeHandler, type NodeHandler, type NodeHandlerOptions } from './adapters/node-handler';
export { fromNodeHandler, type NodeRequestListener } from './adapters/from-node-handler';
export type { AdapterOptions, AdapterLifespan } from './adapters/adapter-runtime';
// For writing another host: the contract a host implements and the one request cycle it reuses.
export type { Host, HostContext, BoundAddress, ListenScheme } from './host';
export { HttpCycle, type CycleSettings } from './cycle/http-cycle';
export type { HttpTransport, TransportListener } from './cycle/transport';
