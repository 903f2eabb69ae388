/** `portico serve`: each kind of module, the examples/hello app that `npm start` serves, an inherited fd. */
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { usePortico } from './support/cli';

const portico = usePortico();
const fixture = (name: string): string => `packages/server/test/fixtures/${name}`;

it('serves examples/hello (what `npm start` runs) from TypeScript, on a free port', async () => {
  const cli = portico(['serve', 'examples/hello/app.ts', '--port', '0']);
  const origin = await cli.origin();
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await fetch(`${origin}/hello`);
  expect([response.status, await response.text()]).toEqual([200, 'Hello from Portico! You asked for /hello\n']);
  await cli.waitFor(/INFO: {5}127\.0\.0\.1:\d+ - "GET \/hello HTTP\/1\.1" 200/);
});

describe('module kinds', () => {
  it('loads an ES module (.mjs)', async () => {
    const origin = await portico(['serve', fixture('esm-app.mjs'), '--port', '0']).origin();
    expect(await (await fetch(origin)).text()).toBe('from an ES module');
  });

  it('loads a CommonJS module (.cjs) and calls a --factory to get the app', async () => {
    const origin = await portico(['serve', `${fixture('factory-app.cjs')}:createApp`, '--factory', '--port', '0']).origin();
    expect(await (await fetch(origin)).text()).toBe('made by a factory');
  });
});

it('writes no access log with --no-access-log', async () => {
  const cli = portico(['serve', fixture('esm-app.mjs'), '--port', '0', '--no-access-log']);
  const origin = await cli.origin();
  await fetch(origin);
  cli.child.kill('SIGTERM');
  await cli.exited;
  expect(cli.output()).toContain('Finished server process');
  expect(cli.output()).not.toMatch(/"GET \/ HTTP\/1\.1"/);
});

it('exits 1 with the app message when lifespan startup fails', async () => {
  const cli = portico(['serve', fixture('failing-startup.js'), '--port', '0']);
  expect((await cli.exited).code).toBe(1);
  expect(cli.output()).toContain('ERROR:    Application startup failed: database unreachable at db:5432');
  expect(cli.output()).not.toContain('Portico running on');
});

it('serves on an inherited listening socket with --fd', async () => {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as { port: number };
  // Node has no public accessor for a server's descriptor; the test hands it down as fd 3.
  const fd = (listener as unknown as { _handle: { fd: number } })._handle.fd;
  const cli = portico(['serve', fixture('esm-app.mjs'), '--fd', '3'], { stdio: ['ignore', 'pipe', 'pipe', fd] });
  listener.close(); // the child holds its own copy of the socket now
  expect(await cli.origin()).toBe(`http://127.0.0.1:${port}`);
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('from an ES module');
});
