import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ServerOptions } from '../config';
import { ConfigError, type ConfigIssue } from '../errors';
import { settingsFromEnvironment, type Environment, type Setting, type Settings } from './env';
import { checkSettings } from './check';
import { CGI_FLAGS, CLI_DEFAULTS, FLAGS, flagFor, flagOf, type CliOnlyOptions, type Flag } from './options';

/** The command line is not one `portico` understands (exit code 2, like other CLIs). */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** `usage`: printed before the message, when the user seems not to know the commands yet. */
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

export type Command =
  | { kind: 'help'; topic: 'main' | 'serve' | 'cgi' }
  | { kind: 'version' }
  | { kind: 'serve'; app: string; options: ServerOptions; cli: CliOnlyOptions; sources: ReadonlyMap<string, string> }
  | { kind: 'cgi'; app: string; options: ServerOptions; cli: CliOnlyOptions; sources: ReadonlyMap<string, string> };

/** A command line read, before the environment is: what was typed, by option key. */
export type ParsedArgv =
  | Extract<Command, { kind: 'help' | 'version' }>
  | { kind: 'serve' | 'cgi'; app: string; flags: Settings };

const parseOptions: NonNullable<ParseArgsConfig['options']> = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};
for (const flag of FLAGS) {
  if (flag.kind === 'boolean') {
    parseOptions[flag.name] = { type: 'boolean' };
    if (flag.negatable === true) parseOptions[`no-${flag.name}`] = { type: 'boolean' };
  } else {
    parseOptions[flag.name] = { type: 'string', multiple: flag.kind === 'list' };
  }
}

const SHORT_USAGE = [
  'Usage: portico <command> [options]',
  '',
  'Commands:',
  '  serve <module>[:<export>]  Serve an app, e.g. portico serve app.ts',
  '  cgi <module>[:<export>]    Answer one request as a CGI script',
].join('\n');

/** Node's parseArgs messages, reworded to say what to type instead. */
function usageMessage(error: Error & { code?: string }, args: readonly string[], command: string): string {
  const more = `Run 'portico ${command} --help' for the options.`;
  const ambiguous = /^Option '(--[\w-]+)' argument is ambiguous/.exec(error.message);
  if (ambiguous !== null) {
    const option = ambiguous[1] as string;
    const value = args[args.indexOf(option) + 1] ?? '';
    return `Option '${option}' is followed by '${value}', which looks like an option. If '${value}' is its value, write ${option}=${value}. ${more}`;
  }
  const missing = /^Option '(--[\w-]+) <value>' argument missing/.exec(error.message);
  if (missing !== null) return `Option '${missing[1] as string}' needs a value. ${more}`;
  const firstSentence = (error.message.split('\n')[0] ?? '').replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
  return `${firstSentence}. ${more}`;
}

/**
 * Read `argv` (without `node` and the script): the command, the app and the flags typed. Throws
 * `UsageError` for unknown flags, a missing app or no command at all.
 */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("Missing a command. Run 'portico --help' for every option.", SHORT_USAGE);
  if (command === '--help' || command === '-h' || command === 'help') {
    return { kind: 'help', topic: rest[0] === 'serve' || rest[0] === 'cgi' ? rest[0] : 'main' };
  }
  if (command === '--version') return { kind: 'version' };
  if (command !== 'serve' && command !== 'cgi') throw new UsageError(`Unknown command '${command}'. Run 'portico --help' for the commands.`, SHORT_USAGE);

  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: parseOptions, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error, rest, command));
  }
  const { values, positionals } = parsed;
  if (values['help'] === true) return { kind: 'help', topic: command };
  const [app, ...extra] = positionals;
  if (app === undefined) throw new UsageError(`Missing the app to serve: portico ${command} <module>[:<export>]. Run 'portico ${command} --help' for the options.`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument '${extra[0]}': portico ${command} takes one app.`);

  const flags: Settings = new Map();
  for (const flag of FLAGS) {
    const given = values[flag.name];
    const negated = flag.negatable === true ? values[`no-${flag.name}`] : undefined;
    if (given !== undefined) flags.set(flag.key, { raw: given as string | boolean | string[], source: `--${flag.name}` });
    else if (negated !== undefined) flags.set(flag.key, { raw: false, source: `--no-${flag.name}` });
    if (command === 'cgi' && (given !== undefined || negated !== undefined) && !CGI_FLAGS.has(flag.name)) {
      throw new UsageError(`--${flag.name} does not apply to portico cgi (one request per process, from the web server's CGI environment).`);
    }
  }
  return { kind: command, app, flags };
}

/** A number when the text is one; otherwise the text itself, so the config check can show it. */
function numeric(text: string): number | string {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A setting's value in the option's type; text that does not convert is kept for the check to show. */
function convert(flag: Flag, raw: Setting['raw']): unknown {
  if (typeof raw === 'boolean' || Array.isArray(raw)) return raw;
  switch (flag.kind) {
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      return TRUE.has(word) ? true : FALSE.has(word) ? false : raw;
    }
    case 'integer':
    case 'number':
      return numeric(raw);
    case 'list':
      return raw.split(/\s+/).filter(Boolean); // as click splits a multiple option's variable
    default:
      return raw;
  }
}

/**
 * The command a read command line and the environment make together: flags win over
 * `PORTICO_*` variables, which win over `PORT`. Every wrong value is reported at once, as one
 * `ConfigError` whose lines name the flag or variable the value came from.
 */
export function buildCommand(parsed: ParsedArgv, env: Environment): Command {
  if (parsed.kind === 'help' || parsed.kind === 'version') return parsed;
  const accepts = (flag: Flag): boolean => parsed.kind === 'serve' || CGI_FLAGS.has(flag.name);
  const settings: Settings = new Map([...settingsFromEnvironment(env, accepts, parsed.kind === 'serve'), ...parsed.flags]);

  const options: Record<string, unknown> = {};
  const cli: Record<string, unknown> = { ...CLI_DEFAULTS };
  const sources = new Map<string, string>();
  for (const [key, setting] of settings) {
    const flag = flagFor(key) as Flag;
    sources.set(key, setting.source);
    if (key in CLI_DEFAULTS) cli[key] = convert(flag, setting.raw);
    else options[key] = convert(flag, setting.raw);
  }
  const issues: ConfigIssue[] = checkSettings(options as ServerOptions, cli, parsed.kind === 'cgi' ? { logLevel: 'warning' } : {});
  if (issues.length > 0) throw new ConfigError(issues, (key) => sources.get(key) ?? flagOf(key));
  return { kind: parsed.kind, app: parsed.app, options: options as ServerOptions, cli: cli as unknown as CliOnlyOptions, sources };
}

/**
 * Turn `argv` (without `node` and the script) and the environment into a command. Throws
 * `UsageError` for unknown flags or a missing app, and `ConfigError` for wrong values.
 *
 * @example
 * parseCommand(['serve', 'app.ts', '--port', '0']);
 * // { kind: 'serve', app: 'app.ts', options: { port: 0 }, cli: { workers: 1, reload: false, ... } }
 */
export function parseCommand(argv: readonly string[], env: Environment = {}): Command {
  return buildCommand(parseArgv(argv), env);
}
