import { describe, expect, it } from '@jest/globals';
import { BackgroundTask, BackgroundTasks, Config, StaticFiles } from '@portico/framework';
import { expectTypeError } from './support/type-error';

/** StaticFiles, background tasks and Config: each wrong argument is a TypeError at construction. */
const bad = (value: unknown): never => value as never;
const sendEmail = (): void => undefined;

const cases: ReadonlyArray<[string, () => unknown, string]> = [
  ['StaticFiles given the directory itself', () => new StaticFiles(bad('public')), 'new StaticFiles(options) takes an options object, got string "public" (write new StaticFiles({ directory: "public" }))'],
  ['StaticFiles without a directory', () => new StaticFiles(bad({ html: true })), 'new StaticFiles({ directory }) takes the path of a directory, got undefined'],
  ['StaticFiles unknown option', () => new StaticFiles(bad({ directory: '.', dir: '.' })), "new StaticFiles(options) has no option 'dir'; it takes directory, html, checkDir, followSymlinks"],
  ['StaticFiles html', () => new StaticFiles({ directory: '.', html: bad('yes') }), 'new StaticFiles({ html }) takes true or false, got string "yes"'],
  ['BackgroundTask of a call result', () => new BackgroundTask(bad(Promise.resolve())), 'new BackgroundTask(fn, ...args) takes the function to call after the response, got a Promise'],
  ['BackgroundTasks of functions', () => new BackgroundTasks(bad([sendEmail])), 'new BackgroundTasks(tasks) takes a list of BackgroundTask, got a function (sendEmail) in it (wrap a function: new BackgroundTask(fn, ...args), or tasks.add(fn, ...args))'],
  ['BackgroundTasks of one task', () => new BackgroundTasks(bad(new BackgroundTask(sendEmail))), 'new BackgroundTasks(tasks) takes a list of BackgroundTask, got a BackgroundTask'],
  ['BackgroundTasks.add of a result', () => new BackgroundTasks().add(bad(undefined)), 'new BackgroundTask(fn, ...args) takes the function to call after the response, got undefined'],
  ['Config given the file name', () => new Config(bad('.env')), 'new Config(options) takes an options object { envFile, environ }, got string ".env"'],
  ['Config unknown option', () => new Config(bad({ env_file: '.env' })), "new Config(options) has no option 'env_file'; it takes envFile, environ"],
  ['Config environ', () => new Config({ environ: bad('production') }), 'new Config({ environ }) takes an object of variables such as process.env, got string "production"'],
  ['Config envFile', () => new Config({ envFile: bad(true) }), 'new Config({ envFile }) takes the path of a .env file, got boolean true'],
];

describe('constructor checks: static files, background tasks, Config', () => {
  it.each(cases)('%s', (_name, build, message) => expectTypeError(build, message));

  it('accepts what the types allow', () => {
    expect(() => [new StaticFiles({ directory: '.', html: true }), new BackgroundTasks([new BackgroundTask(sendEmail)]), new Config({ environ: {} })]).not.toThrow();
  });
});
