/** Errors the server reports to its user, each with a message that says what to change. */

/** One wrong option: its name, the value given and what is allowed. */
export interface ConfigIssue {
  option: string;
  value: unknown;
  expected: string;
}

/** Shows a given value in a message: strings quoted, the rest as JSON where possible. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The server options are wrong; thrown before anything binds. `issues` lists every wrong option.
 *
 * @example
 * try { new Server(app, { port: 70000 }); } catch (error) {
 *   // Invalid option 'port': got 70000; expected an integer from 0 to 65535
 * }
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly issues: ConfigIssue[],
    /** How an option is called where the user wrote it (`port`, or `--port` on the command line). */
    nameOf: (option: string) => string = (option) => option,
  ) {
    super(issues.map((issue) => `Invalid option '${nameOf(issue.option)}': got ${showValue(issue.value)}; expected ${issue.expected}`).join('\n'));
  }

  /** The same issues, named the way the command line spells them. */
  renamed(nameOf: (option: string) => string): ConfigError {
    return new ConfigError(this.issues, nameOf);
  }
}

/** The app answered `lifespan.startup.failed`, or failed during startup with lifespan `on`. */
export class LifespanStartupError extends Error {
  override readonly name = 'LifespanStartupError';
}

/** The app answered `lifespan.shutdown.failed`, or failed during shutdown. */
export class LifespanShutdownError extends Error {
  override readonly name = 'LifespanShutdownError';
}
