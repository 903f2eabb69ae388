import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { Config, ConfigError } from '@portico/framework';

const dir = mkdtempSync(join(tmpdir(), 'portico-config-'));
const envFile = join(dir, '.env');
writeFileSync(envFile, ['# settings for local development', 'DATABASE_URL=postgres://localhost/notes', 'PORT=8000', 'DEBUG=true', 'GREETING="hello # not a comment"', 'EMPTY=', ''].join('\n'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const schema = z.object({
  DATABASE_URL: z.url(),
  PORT: z.coerce.number().int().positive(),
  DEBUG: z.stringbool().default(false),
  GREETING: z.string(),
  WORKERS: z.coerce.number().int().default(1),
});

describe('Config', () => {
  it('reads typed settings from a .env file and the environment, the environment winning', () => {
    const settings = new Config({ envFile, environ: { PORT: '9000' } }).parse(schema);
    expect(settings).toEqual({ DATABASE_URL: 'postgres://localhost/notes', PORT: 9000, DEBUG: true, GREETING: 'hello # not a comment', WORKERS: 1 });
  });

  it('lists every missing or invalid variable in one error, and where it looked', () => {
    const missingFile = join(dir, 'missing.env');
    const config = new Config({ envFile: missingFile, environ: { PORT: 'eighty', DEBUG: 'maybe', GREETING: 'hi' } });
    let error: unknown;
    try {
      config.parse(schema);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toEqual(['DATABASE_URL: not set', 'PORT: Invalid input: expected number, received NaN', expect.stringMatching(/^DEBUG: /)]);
    expect(message.split('\n')).toEqual([`invalid configuration (3 problems, read from the environment (${missingFile} does not exist)):`, ...problems.map((problem) => `  ${problem}`)]);
  });

  it('reads process.env when no environment is given, and answers single raw values', () => {
    process.env['PORTICO_CONFIG_TEST'] = 'from process';
    try {
      const config = new Config({ envFile });
      expect([config.get('PORTICO_CONFIG_TEST'), config.get('EMPTY'), config.get('NOWHERE')]).toEqual(['from process', '', undefined]);
    } finally {
      delete process.env['PORTICO_CONFIG_TEST'];
    }
  });
});
