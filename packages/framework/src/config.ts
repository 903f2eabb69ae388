/**
 * Typed settings from the environment and a `.env` file (the twelve-factor way: configuration
 * lives in the environment, the code says what it needs and what type each setting has).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { z } from 'zod';
import { checkOptions, describeValue, isOptionsObject } from './arguments';

export interface ConfigOptions {
  /** A `.env` file to read (`NAME=value` lines, `#` comments, quoted values). A missing file is not an error. */
  envFile?: string;
  /** The environment; it wins over the file. Default `process.env`. */
  environ?: Readonly<Record<string, string | undefined>>;
}

/** Settings that are missing or do not fit their schema; the message lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** One line per problem: `NAME: what is wrong`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], source: string) {
    super(`invalid configuration (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}, read from ${source}):\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/**
 * The environment merged over a `.env` file, read once; `parse()` checks it against a zod schema
 * whose keys are the variable names and returns the typed settings, or throws one ConfigError
 * listing every missing or invalid variable. Values are strings: use `z.coerce.number()` for
 * numbers and `z.stringbool()` for booleans (`z.coerce.boolean()` would read `'false'` as true).
 *
 * @example
 * const settings = new Config({ envFile: '.env' }).parse(z.object({
 *   DATABASE_URL: z.url(),
 *   PORT: z.coerce.number().int().default(8000),
 *   DEBUG: z.stringbool().default(false),
 *   SESSION_KEYS: z.string().transform((keys) => keys.split(',')),
 * }));
 * settings.PORT; // number
 */
export class Config {
  readonly #values: Readonly<Record<string, string | undefined>>;
  readonly #source: string;

  constructor(options: ConfigOptions = {}) {
    const { envFile, environ = process.env } = checkOptions(options, 'new Config(options)', { envFile: true, environ: true });
    if (envFile !== undefined && (typeof envFile !== 'string' || envFile === '')) throw new TypeError(`new Config({ envFile }) takes the path of a .env file, got ${describeValue(envFile)}`);
    if (!isOptionsObject(environ)) throw new TypeError(`new Config({ environ }) takes an object of variables such as process.env, got ${describeValue(environ)}`);
    let file: Record<string, string | undefined> = {};
    let source = 'the environment';
    if (envFile !== undefined) {
      const path = resolve(envFile);
      try {
        file = parseEnv(readFileSync(path, 'utf8'));
        source = `the environment and ${path}`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        source = `the environment (${path} does not exist)`;
      }
    }
    this.#values = { ...file, ...environ };
    this.#source = source;
  }

  /** One raw value, or undefined when it is set nowhere. */
  get(name: string): string | undefined {
    return this.#values[name];
  }

  /** The settings the schema describes, typed; a ConfigError listing every problem otherwise. */
  parse<Schema extends z.ZodType>(schema: Schema): z.output<Schema> {
    const result = schema.safeParse(this.#values);
    if (result.success) return result.data;
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.') || '(settings)';
      const set = issue.path.length > 0 && this.#values[String(issue.path[0])] !== undefined;
      return `${name}: ${set ? issue.message : 'not set'}`;
    });
    throw new ConfigError(problems, this.#source);
  }
}
