import { resolveConfig, type ServerOptions } from '../config';
import { ConfigError, type ConfigIssue } from '../errors';
import { FLAGS, flagFor, flagOf } from './options';

const ORDER = new Map(FLAGS.map((flag, index) => [flag.key as string, index]));

/** `together with sslCertfile` → `together with --ssl-certfile`: the config's texts name option keys. */
function inFlags(text: string): string {
  return text.replace(/\b[a-z]+(?:[A-Z][a-z]*)+\b/g, (word) => (flagFor(word) === undefined ? word : flagOf(word)));
}

/** What only the command line checks: the options `new Server()` does not know. */
function cliIssues(options: ServerOptions, cli: Record<string, unknown>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { workers, reload, factory } = cli;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1) issues.push({ option: 'workers', value: workers, expected: 'an integer, 1 or more' });
  if (typeof reload !== 'boolean') issues.push({ option: 'reload', value: reload, expected: 'true or false' });
  if (typeof factory !== 'boolean') issues.push({ option: 'factory', value: factory, expected: 'true or false' });
  if (options.fd !== undefined && ((typeof workers === 'number' && workers > 1) || reload === true)) {
    issues.push({ option: 'fd', value: options.fd, expected: 'no --fd with --workers or --reload (worker processes cannot share an inherited socket)' });
  }
  return issues;
}

/**
 * Every wrong value of a command, CLI-only options and server options together, in help order,
 * so one run reports them all. `defaults` are the command's own (cgi logs at 'warning').
 *
 * @example
 * checkSettings({ port: -1 }, { workers: 0, reload: false, factory: false }); // two issues
 */
export function checkSettings(options: ServerOptions, cli: Record<string, unknown>, defaults: ServerOptions = {}): ConfigIssue[] {
  const issues = cliIssues(options, cli);
  try {
    resolveConfig({ ...defaults, ...options });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  return issues
    .map((issue) => ({ ...issue, expected: inFlags(issue.expected) }))
    .sort((a, b) => (ORDER.get(a.option) ?? FLAGS.length) - (ORDER.get(b.option) ?? FLAGS.length));
}
