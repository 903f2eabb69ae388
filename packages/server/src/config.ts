import { readFileSync } from 'node:fs';
import { ConfigError, showValue, type ConfigIssue } from './errors';
import { checkOptions, type CheckedOptions, type ServerOptions } from './server-options';

export type { ServerOptions } from './server-options';

/** The key and certificate read from `sslKeyfile`/`sslCertfile`. */
export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  passphrase: string | undefined;
}

/** Options with their defaults applied, checked, and the TLS files read. */
export type ServerConfig = Readonly<Omit<CheckedOptions, 'sslKeyfilePassword'>> & {
  readonly tls: TlsMaterial | null;
};

function readTlsFile(option: 'sslKeyfile' | 'sslCertfile', path: string, issues: ConfigIssue[]): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    issues.push({ option, value: path, expected: `a readable file (reading it failed: ${reason})` });
    return Buffer.alloc(0);
  }
}

/**
 * Check the options, apply defaults and read the TLS files. Throws one `ConfigError` listing every
 * wrong option, so a user fixes them all at once.
 *
 * @example
 * const config = resolveConfig({ port: 0, lifespan: 'off' });
 */
export function resolveConfig(options: ServerOptions = {}): ServerConfig {
  const given: unknown = options;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    const hint = typeof given === 'number' ? ` (write { port: ${given} })` : '';
    throw new TypeError(`new Server(app, options) takes an options object such as { port: 8000 }, got ${showValue(given)}${hint}`);
  }
  const { sslKeyfilePassword, ...config } = checkOptions(options);
  const issues: ConfigIssue[] = [];
  let tls: TlsMaterial | null = null;
  if (config.sslKeyfile !== undefined && config.sslCertfile !== undefined) {
    tls = {
      key: readTlsFile('sslKeyfile', config.sslKeyfile, issues),
      cert: readTlsFile('sslCertfile', config.sslCertfile, issues),
      passphrase: sslKeyfilePassword,
    };
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { ...config, tls };
}
