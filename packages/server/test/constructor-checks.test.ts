/** new Server(app, options) and serve(): a wrong app or options object is refused at construction, before anything binds. */
import { describe, expect, it } from '@jest/globals';
import type { App } from '@portico/protocol';
import { ConfigError, serve, Server } from '@portico/server';
import { expectTypeError } from '../../framework/test/support/type-error';

const app: App = async () => undefined;
const bad = (value: unknown): never => value as never;

const typeErrors: ReadonlyArray<[string, () => unknown, string]> = [
  ['app undefined', () => new Server(bad(undefined)), 'new Server(app, options) takes a protocol app: a function (scope, receive, send) => Promise<void>, such as a framework App; got nothing'],
  ['app a string', () => new Server(bad('app.ts')), "new Server(app, options) takes a protocol app: a function (scope, receive, send) => Promise<void>, such as a framework App; got 'app.ts'"],
  [
    'app a module namespace',
    () => new Server(bad({ app, config: {} })),
    'new Server(app, options) takes a protocol app: a function (scope, receive, send) => Promise<void>, such as a framework App; got an object with keys app, config (a module? pass its export: new Server(module.app))',
  ],
  ['app an object', () => new Server(bad({ routes: [] })), 'new Server(app, options) takes a protocol app: a function (scope, receive, send) => Promise<void>, such as a framework App; got an object with keys routes'],
  ['options a port number', () => new Server(app, bad(8000)), 'new Server(app, options) takes an options object such as { port: 8000 }, got 8000 (write { port: 8000 })'],
  ['options null', () => new Server(app, bad(null)), 'new Server(app, options) takes an options object such as { port: 8000 }, got null'],
  ['options a string', () => new Server(app, bad('127.0.0.1')), "new Server(app, options) takes an options object such as { port: 8000 }, got '127.0.0.1'"],
];

describe('constructor checks: Server', () => {
  it.each(typeErrors)('%s', (_name, build, message) => expectTypeError(build, message));

  it('refuses unknown option keys with a ConfigError naming the known ones', () => {
    expect(() => new Server(app, bad({ prot: 8000 }))).toThrow(ConfigError);
    expect(() => new Server(app, bad({ prot: 8000 }))).toThrow(/^Invalid option 'prot': got 8000; expected one of the known options: host, port, http, /);
  });

  it('serve() refuses the same before anything binds or handles signals', async () => {
    const listeners = process.listenerCount('SIGINT');
    await expect(serve(bad({ app }))).rejects.toThrow('(a module? pass its export: new Server(module.app))');
    await expect(serve(app, bad({ Port: 0 }))).rejects.toThrow(ConfigError);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });
});
