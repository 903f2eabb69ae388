/** What `portico` says when something is wrong: where, what, and what to type instead; no stack of its own. */
import { describe, expect, it } from '@jest/globals';
import { appSource, usePortico, useProjects } from './support/cli';

const portico = usePortico();
const project = useProjects();
const echoApp = 'packages/server/test/fixtures/echo-app.js';

async function run(args: string[], cwd?: string): Promise<{ code: number | null; lines: string[] }> {
  const cli = portico(args, cwd === undefined ? {} : { cwd });
  const { code } = await cli.exited;
  return { code, lines: cli.output().split('\n').filter((line) => line !== '' && !line.startsWith('INFO:')) };
}

describe('the command line', () => {
  it('portico alone prints the usage and exits 2', async () => {
    const { code, lines } = await run([]);
    expect(code).toBe(2);
    expect(lines[0]).toBe('Usage: portico <command> [options]');
    expect(lines).toContain("ERROR:    Missing a command. Run 'portico --help' for every option.");
  });

  it('--port -1 says how to pass a value starting with a dash', async () => {
    const { code, lines } = await run(['serve', echoApp, '--port', '-1']);
    expect(code).toBe(2);
    expect(lines).toEqual([
      "ERROR:    Option '--port' is followed by '-1', which looks like an option. If '-1' is its value, write --port=-1. Run 'portico serve --help' for the options.",
    ]);
  });

  it('reports every wrong value at once, --workers among them, in help order', async () => {
    const { code, lines } = await run(['serve', echoApp, '--lifespan', 'sometimes', '--workers', '0', '--port=-1']);
    expect(code).toBe(1);
    expect(lines).toEqual([
      "ERROR:    Invalid option '--port': got -1; expected an integer from 0 to 65535 (0 picks a free port)",
      "ERROR:    Invalid option '--workers': got 0; expected an integer, 1 or more",
      "ERROR:    Invalid option '--lifespan': got 'sometimes'; expected 'auto', 'on' or 'off'",
    ]);
  });

  it('names flags, not option keys, in what it expects', async () => {
    const { code, lines } = await run(['serve', echoApp, '--ssl-keyfile', 'key.pem']);
    expect(code).toBe(1);
    expect(lines).toEqual([
      "ERROR:    Invalid option '--ssl-certfile': got nothing; expected the path of a PEM certificate, together with --ssl-keyfile",
    ]);
  });

  it('--reload with --workers 2: warns that the reloader runs one process, and serves', async () => {
    const cli = portico(['serve', 'packages/server/test/fixtures/esm-app.mjs', '--reload', '--workers', '2', '--port', '0']);
    expect(await (await fetch(await cli.origin())).text()).toBe('from an ES module');
    expect(cli.output()).toContain('WARNING:  --workers 2 is ignored with --reload: the reloader runs one server process.');
    expect(cli.output().match(/Started server process/g)).toHaveLength(1);
  });

  it('--reload-dir without --reload: warns that it has no effect', async () => {
    const cli = portico(['serve', 'packages/server/test/fixtures/esm-app.mjs', '--reload-dir', 'src', '--port', '0']);
    await cli.origin();
    expect(cli.output()).toContain('WARNING:  --reload-dir has no effect without --reload.');
  });
});

describe('a syntax error in the app: the place, the message, the line; no loader frames', () => {
  const broken = 'export const x = 1;\nexport const app = async (scope) => {\n  return scope +;\n};\n';
  it.each([
    ['app.ts', {}],
    ['app.mts', {}],
    ['app.mjs', {}],
    ['app.js', { type: 'module' }],
    ['app.js', {}],
  ])('%s in a package %j', async (file, manifest) => {
    const source = file === 'app.js' && !('type' in manifest) ? broken.replace(/export const (\w+) =/g, 'exports.$1 =') : broken;
    const dir = project({ 'package.json': JSON.stringify(manifest), [file]: source });
    const { code, lines } = await run(['serve', file], dir);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^ERROR: +Error loading the app '${file}': SyntaxError in ${file.replace('.', '\\.')}:3:17: Unexpected (token )?["']?;["']?$`)),
      '  3 |   return scope +;',
      '    |                 ^',
    ]);
  });

  it('an error thrown while the module loads: its message and the frames in the user file only', async () => {
    const dir = project({ 'app.ts': 'export const x: number = 1;\nthrow new Error("DATABASE_URL is not set");\n' });
    const { code, lines } = await run(['serve', 'app.ts'], dir);
    expect(code).toBe(1);
    expect(lines[0]).toBe("ERROR:    Error loading the app 'app.ts': Error: DATABASE_URL is not set");
    expect(lines.slice(1).length).toBeGreaterThan(0);
    for (const frame of lines.slice(1)) expect(frame).toMatch(/^\s+at .*app\.ts:2:\d+\)?$/);
  });
});

describe('exports', () => {
  const defaultApp = (text: string): string => appSource(text, { typescript: true }).replace('export const app =', 'export default');

  it('serves the default export when no export is named and there is no `app`', async () => {
    const dir = project({ 'app.ts': defaultApp('the default export') });
    const cli = portico(['serve', 'app.ts', '--port', '0'], { cwd: dir });
    expect(await (await fetch(await cli.origin())).text()).toBe('the default export');
  });

  it('prefers `app` to the default export', async () => {
    const dir = project({ 'app.mjs': `${appSource('the app export')}export default () => undefined;\n` });
    const cli = portico(['serve', 'app.mjs', '--port', '0'], { cwd: dir });
    expect(await (await fetch(await cli.origin())).text()).toBe('the app export');
  });

  it('suggests `app.ts:default` when the named export is missing and the default one is a function', async () => {
    const dir = project({ 'app.ts': defaultApp('unused') });
    const { code, lines } = await run(['serve', 'app.ts:handler'], dir);
    expect(code).toBe(1);
    expect(lines).toEqual([
      "ERROR:    The module 'app.ts' has no export 'handler' (it exports: default); its default export is a function: serve it with 'app.ts:default'",
    ]);
  });
});

describe('--factory', () => {
  it('on an app (scope, receive, send): says to leave out --factory, in one line', async () => {
    const { code, lines } = await run(['serve', `${echoApp}:app`, '--factory']);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `ERROR:    The export 'app' of '${echoApp}' takes (scope, receive, send): it is the app, not a factory. Leave out --factory`,
    ]);
  });

  it('on a function that fails when called without arguments: the error and the hint, no loader frames', async () => {
    const dir = project({ 'app.js': 'exports.app = async (...args) => {\n  const [scope] = args;\n  return scope.type;\n};\n' });
    const { code, lines } = await run(['serve', 'app.js', '--factory'], dir);
    expect(code).toBe(1);
    expect(lines[0]).toBe("ERROR:    Calling the factory 'app' of 'app.js' failed: TypeError: Cannot read properties of undefined (reading 'type')");
    expect(lines.at(-1)).toBe('(If the export is the app itself, leave out --factory.)');
    for (const frame of lines.slice(1, -1)) expect(frame).toMatch(/app\.js:3:\d+\)?$/);
  });
});
