import { resolveConfig } from '../config';
import { API_ONLY_OPTIONS, CGI_FLAGS, CLI_DEFAULTS, FLAGS, type Flag } from './options';

function defaultOf(flag: Flag, defaults: Record<string, unknown>): string {
  if (flag.defaultText !== undefined) return flag.defaultText;
  const value = defaults[flag.key];
  if (flag.kind === 'boolean') return value === undefined ? 'on a terminal' : value === true ? 'on' : 'off';
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return 'none';
  if (Array.isArray(value)) return value.join(',');
  return value === '' ? "''" : String(value);
}

/** `--port <port>`, `--proxy-headers / --no-proxy-headers`. */
function usageOf(flag: Flag): string {
  if (flag.negatable === true) return `--${flag.name} / --no-${flag.name}`;
  return `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}`;
}

/** Every option's default, taken from the config itself. */
function allDefaults(): Record<string, unknown> {
  return { ...resolveConfig({}), ...CLI_DEFAULTS };
}

/** Every flag with its default. */
function optionsTable(shown: (flag: Flag) => boolean = () => true): string[] {
  const defaults = allDefaults();
  const rows = FLAGS.filter(shown).map((flag) => [usageOf(flag), `${flag.help} [default: ${defaultOf(flag, defaults)}]`]);
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...rows.map(([left]) => (left as string).length)) + 2;
  return rows.map(([left, right]) => `  ${(left as string).padEnd(width)}${right as string}`);
}

const environment = [
  'Every option can be set in the environment too, named after its flag: --ssl-keyfile is PORTICO_SSL_KEYFILE,',
  '--no-access-log is PORTICO_ACCESS_LOG=false. PORT and WEB_CONCURRENCY are read when PORTICO_PORT and',
  'PORTICO_WORKERS are not. The command line wins over the environment.',
];

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
    'Serve a Portico app (a function (scope, receive, send) => Promise<void>) over HTTP/1.1 or HTTP/2 (--http).',
    "<module> is a .js, .mjs, .cjs, .ts, .mts or .cts file; TypeScript is transpiled by tsx, not type-checked.",
    "<export> defaults to 'app', or the default export when there is no 'app'.",
    '',
    'Options:',
    ...optionsTable(),
    '',
    ...environment,
    '',
    ...examples,
  ].join('\n');
}

/** `portico cgi --help`. */
export function cgiHelp(): string {
  return [
    'Usage: portico cgi <module>[:<export>] [options]',
    '',
    'Run a Portico app once, as a CGI script (RFC 3875): the request comes from the environment',
    '(REQUEST_METHOD, PATH_INFO, QUERY_STRING, HTTP_*, ...) and stdin, the response goes to stdout',
    "as 'Status:', headers and body. Lifespan startup and shutdown run around the request; errors",
    'go to stderr. The exit code is 0 once a response was written (a 500 included).',
    '',
    'Options:',
    ...optionsTable((flag) => CGI_FLAGS.has(flag.name)),
    '',
    'Example (a CGI script the web server runs):',
    '  #!/bin/sh',
    '  exec portico cgi /srv/app/dist/app.js --log-level warning',
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
    '  serve <module>[:<export>]  Serve an app over HTTP/1.1, HTTP/2 (--http 2|auto) or FastCGI (--interface fastcgi)',
    '  cgi <module>[:<export>]    Answer one request as a CGI script (see portico cgi --help)',
    '  --version                  Show the version',
    '',
    'Options of serve:',
    ...optionsTable(),
    '',
    ...environment,
    '',
    ...examples,
  ].join('\n');
}

/** Markdown table cells: `|` escaped, so `<http|fastcgi>` stays in its column. */
const cell = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * The README's table of options, made from the same list as `--help` (test/options-docs.test.ts
 * checks that the README holds it).
 */
export function optionsMarkdown(): string {
  const defaults = allDefaults();
  const cliOnly = new Set(Object.keys(CLI_DEFAULTS));
  const rows = FLAGS.map((flag) => {
    const usage = flag.negatable === true ? `\`--${flag.name}\`, \`--no-${flag.name}\`` : `\`${usageOf(flag)}\``;
    const option = cliOnly.has(flag.key) ? 'CLI only' : `\`${flag.key}\``;
    const help = flag.see === undefined ? flag.help : `${flag.help} See [${flag.see[0]}](#${flag.see[1]}).`;
    return `| ${cell(usage)} | ${option} | ${cell(defaultOf(flag, defaults))} | ${cell(help)} |`;
  });
  for (const option of API_ONLY_OPTIONS) rows.push(`| | \`${option.key}\` | \`${option.defaultText}\` | ${cell(option.help)} |`);
  return ['| flag | option | default | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
