/**
 * The example's settings, from the environment or `examples/notes/.env`, checked by zod: a wrong
 * value stops the app at startup with every problem listed, not at the first request.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Config } from '@portico/framework';
import { z } from 'zod';

export const settings = new Config({ envFile: join(__dirname, '.env') }).parse(
  z.object({
    /**
     * Signs the session cookie; comma-separated to rotate keys (the first signs). Set it in
     * production: the random default changes at every start, which ends every session, and
     * differs between workers.
     */
    NOTES_SESSION_KEYS: z
      .string()
      .default(() => randomBytes(32).toString('hex'))
      .transform((keys) => keys.split(',').map((key) => key.trim()))
      .pipe(z.array(z.string().min(32, 'each session key needs at least 32 characters'))),
    /** The front ends allowed to call the API from a browser (comma-separated origins). */
    NOTES_CORS_ORIGINS: z
      .string()
      .default('http://localhost:5173')
      .transform((origins) => origins.split(',').map((origin) => origin.trim())),
    /** The largest attachment, in bytes. */
    NOTES_MAX_ATTACHMENT: z.coerce.number().int().positive().default(1024 * 1024),
  }),
);
