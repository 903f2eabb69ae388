import { resolveConfig } from '../config';
import { CLI_DEFAULTS, FLAGS, type Flag } from './options';

function defaultOf(flag: Flag, defaults: Record<string, unknown>): string {
  const value = defaults[flag.key];
  if (flag.kind === 'true' || flag.kind === 'false') {
    if (value === undefined) return flag.kind === 'true' ? 'on a terminal' : 'off';
    return (value === true) === (flag.kind === 'true') ? 'on' : 'off';
  }
  if (value === undefined) return 'none';
  if (Array.isArray(value)) return value.join(',');
  return value === '' ? "''" : String(value);
}

/** Every flag with its default, the defaults taken from the config itself. */
function optionsTable(): string[] {
  const defaults: Record<string, unknown> = { ...resolveConfig({}), ...CLI_DEFAULTS };
  const rows = FLAGS.map((flag) => [`--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`, `${flag.help} [default: ${defaultOf(flag, defaults)}]`]);
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...rows.map(([left]) => (left as string).length)) + 2;
  return rows.map(([left, right]) => `  ${(left as string).padEnd(width)}${right as string}`);
}

const examples = [
  'Examples:',
  '  portico serve app.ts',
  '  portico serve dist/main.js:createApp --factory --port 0',
  '  portico serve app.js --workers 4 --host 0.0.0.0 --forwarded-allow-ips 10.0.0.0/8',
];

/** `portico serve --help`. */
export function serveHelp(): string {
  return [
    'Usage: portico serve <module>[:<export>] [options]',
    '',
    'Serve a Portico app (a function (scope, receive, send) => Promise<void>) over HTTP/1.1.',
    "<module> is a .js, .mjs, .cjs or .ts file (.ts needs ts-node); <export> defaults to 'app'.",
    '',
    'Options:',
    ...optionsTable(),
    '',
    ...examples,
  ].join('\n');
}

/** `portico --help`: the commands, and the options of `serve`. */
export function mainHelp(): string {
  return [
    'Usage: portico <command> [options]',
    '',
    'The Portico server: hosts any Portico app.',
    '',
    'Commands:',
    '  serve <module>[:<export>]  Serve an app over HTTP/1.1',
    '  --version                  Show the version',
    '',
    'Options of serve:',
    ...optionsTable(),
    '',
    ...examples,
  ].join('\n');
}
