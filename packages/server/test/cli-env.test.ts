/** Options from the environment (`PORTICO_*`, then `PORT`), and `--env-file`; the command line wins. */
import { expect, it } from '@jest/globals';
import { freePort } from '@portico/protocol/testing';
import { usePortico, useProjects } from './support/cli';

const portico = usePortico();
const project = useProjects();
const esmApp = 'packages/server/test/fixtures/esm-app.mjs';

it('listens on PORT, on PORTICO_PORT over PORT, and on --port over both', async () => {
  const [a, b, c] = [await freePort(), await freePort(), await freePort()];
  const fromPort = portico(['serve', esmApp], { env: { PORT: String(a) } });
  const fromPortico = portico(['serve', esmApp], { env: { PORT: String(a + 1), PORTICO_PORT: String(b) } });
  const fromFlag = portico(['serve', esmApp, '--port', String(c)], { env: { PORT: String(a + 2), PORTICO_PORT: String(b + 1) } });
  expect(await Promise.all([fromPort.origin(), fromPortico.origin(), fromFlag.origin()])).toEqual([a, b, c].map((port) => `http://127.0.0.1:${port}`));
});

it('reads on/off options from words: PORTICO_ACCESS_LOG=off', async () => {
  const cli = portico(['serve', esmApp, '--port', '0'], { env: { PORTICO_ACCESS_LOG: 'off' } });
  await fetch(await cli.origin());
  cli.child.kill('SIGTERM');
  await cli.exited;
  expect(cli.output()).not.toMatch(/"GET \/ HTTP\/1\.1"/);
});

it('names the variable a wrong value came from, and reports them all', async () => {
  const cli = portico(['serve', esmApp], { env: { PORTICO_PORT: 'eighty', PORTICO_WORKERS: '0', PORTICO_PROXY_HEADERS: 'maybe' } });
  expect((await cli.exited).code).toBe(1);
  expect(cli.output().trim().split('\n')).toEqual([
    "ERROR:    Invalid option 'PORTICO_PORT': got 'eighty'; expected an integer from 0 to 65535 (0 picks a free port)",
    "ERROR:    Invalid option 'PORTICO_WORKERS': got 0; expected an integer, 1 or more",
    "ERROR:    Invalid option 'PORTICO_PROXY_HEADERS': got 'maybe'; expected true or false",
  ]);
});

it.each([
  ['--env-file .env', ['--env-file', '.env'], {}],
  ['PORTICO_ENV_FILE=.env', [], { PORTICO_ENV_FILE: '.env' }],
])('%s sets variables before the app loads (and before options are read); variables already set win', async (_name, args, env) => {
  const port = await freePort();
  const dir = project({
    '.env': `# settings\nPORTICO_PORT=${port}\nGREETING="hello from .env"\nNAME=file\n`,
    'app.mjs': `const text = \`\${process.env.GREETING}, \${process.env.NAME}\`;
export const app = async (scope, _receive, send) => {
  if (scope.type !== 'http') return;
  await send({ type: 'http.response.start', status: 200, headers: [] });
  await send({ type: 'http.response.body', body: new TextEncoder().encode(text) });
};
`,
  });
  const cli = portico(['serve', 'app.mjs', ...args], { cwd: dir, env: { NAME: 'environment', ...env } });
  const origin = await cli.origin();
  expect(origin).toBe(`http://127.0.0.1:${port}`);
  expect(await (await fetch(origin)).text()).toBe('hello from .env, environment');
});

// Node 20 itself reads any `--env-file` in argv, even after the script, and exits 9 when the
// file is missing (fixed in later Node versions); the variable goes through portico on every version.
it('PORTICO_ENV_FILE naming a missing file: one line naming the variable, exit 1', async () => {
  const cli = portico(['serve', esmApp], { env: { PORTICO_ENV_FILE: 'missing.env' } });
  expect((await cli.exited).code).toBe(1);
  expect(cli.output().trim()).toBe(
    "ERROR:    Invalid option 'PORTICO_ENV_FILE': got 'missing.env'; expected a readable file of KEY=VALUE lines (reading it failed: ENOENT)",
  );
});
