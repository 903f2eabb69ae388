/**
 * `@portico/server/fetch`: a Portico app as a fetch handler, for Deno, Bun, Cloudflare Workers and
 * any runtime that serves `Request`s. Nothing it imports loads a `node:` module (test/fetch-entry.test.ts
 * bundles it to check); `http.response.pathsend` needs `options.files`.
 */
export { toFetchHandler, type FetchHandler, type FetchHandlerOptions, type FetchConnectionInfo } from './adapters/fetch';
export type { AdapterOptions, AdapterLifespan } from './adapters/adapter-runtime';
export type { FileAccess } from './cycle/files';
export { ConfigError, LifespanStartupError, LifespanShutdownError, type ConfigIssue } from './errors';
