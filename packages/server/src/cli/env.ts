import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError } from '../errors';
import { envNameOf, FLAGS, type Flag } from './options';

/** The process environment, or a stand-in for it. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** An option's value as given, before conversion, and where it was given (`--port`, `PORTICO_PORT`, `PORT`). */
export interface Setting {
  raw: string | boolean | string[];
  source: string;
}

export type Settings = Map<Flag['key'], Setting>;

/** Plain variables that hosting platforms set, read when the `PORTICO_` one is not. */
const PLATFORM_FALLBACKS: ReadonlyArray<{ variable: string; key: Flag['key'] }> = [
  { variable: 'PORT', key: 'port' }, // Heroku, Render, Cloud Run
  { variable: 'WEB_CONCURRENCY', key: 'workers' }, // Heroku; uvicorn reads it too
];

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The options set in the environment: `PORTICO_<FLAG>` for every flag `accepts`, then the
 * platform fallbacks (`PORT`) with `fallbacks`. An empty variable counts as unset.
 *
 * @example
 * settingsFromEnvironment({ PORTICO_PORT: '9000' }, () => true, true); // Map { 'port' => { raw: '9000', source: 'PORTICO_PORT' } }
 */
export function settingsFromEnvironment(env: Environment, accepts: (flag: Flag) => boolean, fallbacks: boolean): Settings {
  const settings: Settings = new Map();
  for (const flag of FLAGS) {
    const name = envNameOf(flag);
    const value = nonEmpty(env, name);
    if (value !== undefined && accepts(flag)) settings.set(flag.key, { raw: value, source: name });
  }
  if (!fallbacks) return settings;
  for (const { variable, key } of PLATFORM_FALLBACKS) {
    const value = nonEmpty(env, variable);
    if (value !== undefined && !settings.has(key)) settings.set(key, { raw: value, source: variable });
  }
  return settings;
}

/**
 * Load `KEY=VALUE` lines (dotenv syntax) into `env`; variables already set keep their value, as
 * with python-dotenv. Throws a `ConfigError` naming `source` when the file cannot be read.
 *
 * @example
 * loadEnvFile('.env', '--env-file'); // process.env.DATABASE_URL is now set
 */
export function loadEnvFile(path: string, source: string, env: Record<string, string | undefined> = process.env): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([{ option: 'envFile', value: path, expected: `a readable file of KEY=VALUE lines (reading it failed: ${reason})` }], () => source);
  }
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] === undefined && value !== undefined) env[name] = value;
  }
}
