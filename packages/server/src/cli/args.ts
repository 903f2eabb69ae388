import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ServerOptions } from '../config';
import { ConfigError } from '../errors';
import { CGI_FLAGS, CLI_DEFAULTS, FLAGS, flagOf, type CliOnlyOptions } from './options';

/** The command line is not one `portico` understands (exit code 2, like other CLIs). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type Command =
  | { kind: 'help'; topic: 'main' | 'serve' | 'cgi' }
  | { kind: 'version' }
  | { kind: 'serve'; app: string; options: ServerOptions; cli: CliOnlyOptions }
  | { kind: 'cgi'; app: string; options: ServerOptions; cli: CliOnlyOptions };

const parseOptions: NonNullable<ParseArgsConfig['options']> = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};
for (const flag of FLAGS) parseOptions[flag.name] = { type: flag.kind === 'true' || flag.kind === 'false' ? 'boolean' : 'string' };

/** A number when the text is one; otherwise the text itself, so the config check can show it. */
function numeric(text: string): number | string {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/**
 * Turn `argv` (without `node` and the script) into a command. Throws `UsageError` for unknown
 * flags or a missing app, and `ConfigError` (named by flag) for CLI-only values out of range.
 *
 * @example
 * parseCommand(['serve', 'app.ts', '--port', '0']);
 * // { kind: 'serve', app: 'app.ts', options: { port: 0 }, cli: { workers: 1, reload: false, factory: false } }
 */
export function parseCommand(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    return { kind: 'help', topic: rest[0] === 'serve' || rest[0] === 'cgi' ? rest[0] : 'main' };
  }
  if (command === '--version') return { kind: 'version' };
  if (command !== 'serve' && command !== 'cgi') throw new UsageError(`Unknown command '${command}'. Run 'portico --help' for the commands.`);

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: parseOptions, allowPositionals: true, strict: true });
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${firstLine}. Run 'portico ${command} --help' for the options.`);
  }
  const { values, positionals } = parsed;
  if (values['help'] === true) return { kind: 'help', topic: command };
  const [app, ...extra] = positionals;
  if (app === undefined) throw new UsageError(`Missing the app to serve: portico ${command} <module>[:<export>]. Run 'portico ${command} --help' for the options.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}': portico ${command} takes one app.`);
  if (command === 'cgi') {
    const other = FLAGS.find((flag) => values[flag.name] !== undefined && !CGI_FLAGS.has(flag.name));
    if (other !== undefined) throw new UsageError(`--${other.name} does not apply to portico cgi (one request per process, from the web server's CGI environment).`);
  }

  const options: Record<string, unknown> = {};
  const cli: CliOnlyOptions = { ...CLI_DEFAULTS };
  for (const flag of FLAGS) {
    const given = values[flag.name];
    if (given === undefined) continue;
    let value: unknown;
    if (flag.kind === 'true' || flag.kind === 'false') value = flag.kind === 'true';
    else if (flag.kind === 'integer' || flag.kind === 'number') value = numeric(given as string);
    else value = given;
    if (flag.key in CLI_DEFAULTS) (cli as unknown as Record<string, unknown>)[flag.key] = value;
    else options[flag.key] = value;
  }
  if (typeof cli.workers !== 'number' || !Number.isInteger(cli.workers) || cli.workers < 1) {
    throw new ConfigError([{ option: 'workers', value: cli.workers, expected: 'an integer, 1 or more' }], flagOf);
  }
  if (options['fd'] !== undefined && (cli.workers > 1 || cli.reload)) {
    throw new ConfigError([{ option: 'fd', value: options['fd'], expected: 'no --fd with --workers or --reload (worker processes cannot share an inherited socket)' }], flagOf);
  }
  return { kind: command, app, options: options as ServerOptions, cli };
}
