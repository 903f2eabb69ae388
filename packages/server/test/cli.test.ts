/** `portico`: help, and every way a command line can be wrong (one line, an exit code, no stack). */
import { describe, expect, it } from '@jest/globals';
import { usePortico } from './support/cli';

const portico = usePortico();

/** The flags the issue promises, each listed with its default in both helps. */
const promisedFlags = [
  'host', 'port', 'uds', 'fd', 'workers', 'reload', 'reload-dir', 'reload-include', 'reload-exclude', 'lifespan', 'root-path',
  'proxy-headers', 'forwarded-allow-ips', 'limit-concurrency', 'limit-max-requests', 'timeout-keep-alive',
  'timeout-graceful-shutdown', 'ssl-keyfile', 'ssl-certfile', 'log-level', 'access-log', 'factory', 'env-file',
];

async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const cli = portico(args);
  const { code } = await cli.exited;
  return { code, output: cli.output() };
}

describe('help', () => {
  it.each([[['--help']], [['serve', '--help']]])('portico %j lists every option with its default', async (args) => {
    const { code, output } = await run(args);
    expect(code).toBe(0);
    for (const flag of promisedFlags) expect(output).toMatch(new RegExp(`^  --${flag}\\b.*\\[default: [^\\]]+\\]$`, 'm'));
    expect(output).toMatch(/^ {2}--port <port> .*\[default: 8000\]$/m);
    expect(output).toMatch(/^ {2}--lifespan <auto\|on\|off> .*\[default: auto\]$/m);
  });

  it('shows each on/off option as one row: --proxy-headers / --no-proxy-headers', async () => {
    const { output } = await run(['serve', '--help']);
    for (const flag of ['proxy-headers', 'access-log', 'server-header', 'date-header', 'use-colors', 'ws-per-message-deflate']) {
      expect(output).toMatch(new RegExp(`^  --${flag} / --no-${flag} .*\\[default: [^\\]]+\\]$`, 'm'));
    }
    expect(output).not.toMatch(/^ {2}--no-/m);
  });

  it('names the environment variables', async () => {
    const { output } = await run(['--help']);
    expect(output).toContain('--ssl-keyfile is PORTICO_SSL_KEYFILE');
    expect(output).toContain('PORT and WEB_CONCURRENCY are read when PORTICO_PORT and');
  });
});

/** A failure is one `ERROR:` line naming the problem, and no stack trace. */
function expectOneLine(output: string, pattern: RegExp): void {
  const lines = output.split('\n').filter((line) => line !== '' && !line.startsWith('INFO:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(output).not.toMatch(/^\s+at /m);
}

describe('an app that cannot be loaded', () => {
  it('because the file is missing: names what was looked for, exit 1', async () => {
    const { code, output } = await run(['serve', 'nowhere/app.ts']);
    expect(code).toBe(1);
    expectOneLine(output, /^ERROR: +Could not find the app module 'nowhere\/app\.ts' \(looked for nowhere\/app\.ts\)$/);
  });

  it('because the file is missing and has no extension: lists every file tried', async () => {
    const { code, output } = await run(['serve', 'nowhere/app']);
    expect(code).toBe(1);
    expectOneLine(output, /looked for nowhere\/app, nowhere\/app\.ts, nowhere\/app\.mts, nowhere\/app\.cts, nowhere\/app\.js, nowhere\/app\.mjs, nowhere\/app\.cjs\)$/);
  });

  it('because the export is missing: names it and what the module does export, exit 1', async () => {
    const { code, output } = await run(['serve', 'packages/server/test/fixtures/echo-app.js:application']);
    expect(code).toBe(1);
    expectOneLine(output, /^ERROR: +The module 'packages\/server\/test\/fixtures\/echo-app\.js' has no export 'application' \(it exports: app, notAnApp\)$/);
  });

  it('because the export is not a function: says what it is, exit 1', async () => {
    const { code, output } = await run(['serve', 'packages/server/test/fixtures/echo-app.js:notAnApp']);
    expect(code).toBe(1);
    expectOneLine(output, /^ERROR: +The export 'notAnApp' of '.*echo-app\.js' is a number, not an app function/);
  });
});

describe('a wrong command line', () => {
  it('with an unknown option: one line and exit 2', async () => {
    const { code, output } = await run(['serve', 'app.js', '--prot', '8000']);
    expect(code).toBe(2);
    expectOneLine(output, /^ERROR: +Unknown option '--prot'\. Run 'portico serve --help' for the options\.$/);
  });

  it('without an app: one line and exit 2', async () => {
    const { code, output } = await run(['serve']);
    expect(code).toBe(2);
    expectOneLine(output, /Missing the app to serve/);
  });

  it('with wrong values: one line per option, named as a flag, before anything starts; exit 1', async () => {
    const { code, output } = await run(['serve', 'packages/server/test/fixtures/echo-app.js', '--port', 'eighty', '--lifespan', 'sometimes']);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([
      "ERROR:    Invalid option '--port': got 'eighty'; expected an integer from 0 to 65535 (0 picks a free port)",
      "ERROR:    Invalid option '--lifespan': got 'sometimes'; expected 'auto', 'on' or 'off'",
    ]);
  });

  it('with --fd and --workers together: refused, exit 1', async () => {
    const { code, output } = await run(['serve', 'app.js', '--fd', '3', '--workers', '2']);
    expect(code).toBe(1);
    expectOneLine(output, /^ERROR: +Invalid option '--fd': got 3; expected no --fd with --workers or --reload/);
  });
});
