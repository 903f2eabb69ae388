/** `--reload`: a change under the app's folder restarts the server with the new code. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { usePortico } from './support/cli';

const portico = usePortico();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portico-reload-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An app file answering `text`. */
function writeApp(text: string): void {
  writeFileSync(
    join(dir, 'app.js'),
    `exports.app = async (scope, receive, send) => {
  if (scope.type !== 'http') return;
  await send({ type: 'http.response.start', status: 200, headers: [['connection', 'close']] });
  await send({ type: 'http.response.body', body: Buffer.from(${JSON.stringify(text)}) });
};
`,
  );
}

it('restarts with the new code when a source file changes, and waits out a broken edit', async () => {
  writeApp('version 1');
  const cli = portico(['serve', join(dir, 'app.js'), '--reload', '--port', '0']);
  await cli.waitFor(/Started reloader process \[\d+\] watching /);
  expect(await (await fetch(await cli.origin())).text()).toBe('version 1');

  let mark = cli.output().length;
  writeApp('version 2');
  await cli.waitFor(/Detected changes in app\.js\. Reloading\.\.\./, mark);
  expect(await (await fetch(await cli.origin(mark))).text()).toBe('version 2');

  mark = cli.output().length;
  writeFileSync(join(dir, 'app.js'), 'exports.app = async (scope, receive, send) => {'); // a syntax error
  await cli.waitFor(/failed to start; waiting for a change to try again/, mark);

  mark = cli.output().length;
  writeApp('version 3');
  expect(await (await fetch(await cli.origin(mark))).text()).toBe('version 3');

  cli.child.kill('SIGTERM');
  expect((await cli.exited).code).toBe(0);
});
