/**
 * The server's log, in Uvicorn's format (`INFO:     message`), coloured when it goes to a terminal.
 * One small class rather than a logging library: a host logs a handful of lines, and the access
 * log is the only per-request one.
 */

export const LOG_LEVELS = ['critical', 'error', 'warning', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where log lines go: `process.stderr` by default, anything with `write(string)` in tests. */
export interface LogStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

const severity: Record<LogLevel, number> = { critical: 50, error: 40, warning: 30, info: 20, debug: 10, trace: 5 };

const ansi = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
};

const levelColours: Record<LogLevel, string> = {
  critical: ansi.bold + ansi.red,
  error: ansi.red,
  warning: ansi.yellow,
  info: ansi.green,
  debug: ansi.blue,
  trace: ansi.magenta,
};

/** `NO_COLOR` and `FORCE_COLOR` (https://no-color.org) decide before the terminal check. */
export function colourByDefault(stream: LogStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

/**
 * Writes `LEVEL:    message` lines at or above a level.
 *
 * @example
 * const logger = new Logger('info', process.stderr, true);
 * logger.info('Portico running on http://127.0.0.1:8000');
 */
export class Logger {
  readonly #threshold: number;
  readonly #stream: LogStream;
  readonly colours: boolean;

  constructor(level: LogLevel, stream: LogStream, colours: boolean) {
    this.#threshold = severity[level];
    this.#stream = stream;
    this.colours = colours;
  }

  enabled(level: LogLevel): boolean {
    return severity[level] >= this.#threshold;
  }

  /** `error` adds the stack of what was thrown, indented under the message. */
  log(level: LogLevel, message: string, error?: unknown): void {
    if (!this.enabled(level)) return;
    const label = `${level.toUpperCase()}:`.padEnd(10);
    const prefix = this.colours ? `${levelColours[level]}${label}${ansi.reset}` : label;
    const detail = error === undefined ? '' : `\n${describeError(error)}`;
    this.#stream.write(`${prefix}${message}${detail}\n`);
  }

  critical(message: string, error?: unknown): void {
    this.log('critical', message, error);
  }
  error(message: string, error?: unknown): void {
    this.log('error', message, error);
  }
  warning(message: string): void {
    this.log('warning', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  debug(message: string): void {
    this.log('debug', message);
  }

  /** Paint `text` when colours are on (the access log colours status codes and addresses). */
  paint(text: string, colour: keyof typeof ansi): string {
    return this.colours ? `${ansi[colour]}${text}${ansi.reset}` : text;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `thrown value: ${String(error)}`;
}
