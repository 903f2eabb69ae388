/**
 * The server's options and their check, without reading files or loading any `node:` module: the
 * fetch handler checks its options with it in runtimes that have none.
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';
import { ipVersion } from './ip-address';
import { LOG_LEVELS, type LogStream } from './logger';

/** `'*'`, an IP address or a CIDR network (`10.0.0.0/8`, `fd00::/8`). */
function isTrustedProxyEntry(entry: string): boolean {
  if (entry === '*') return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = ipVersion(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

const seconds = z.number().positive().finite();
const logStream = z.custom<LogStream>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function',
);

const optionsSchema = z
  .strictObject({
    interface: z.enum(['http', 'fastcgi']).default('http'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8000),
    http: z.enum(['1.1', '2', 'auto']).default('1.1'),
    http1: z.enum(['node', 'portico']).default('node'),
    uds: z.string().min(1).optional(),
    fd: z.number().int().min(0).optional(),
    lifespan: z.enum(['auto', 'on', 'off']).default('auto'),
    rootPath: z
      .string()
      .refine((path) => path === '' || (path.startsWith('/') && !path.endsWith('/')))
      .default(''),
    proxyHeaders: z.boolean().default(true),
    forwardedAllowIps: z
      .union([z.string(), z.array(z.string())])
      .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((entry) => entry.trim()).filter(Boolean))
      .refine((entries) => entries.every(isTrustedProxyEntry))
      .default(['127.0.0.1']),
    limitConcurrency: z.number().int().positive().optional(),
    limitMaxRequests: z.number().int().positive().optional(),
    timeoutKeepAlive: seconds.default(5),
    timeoutGracefulShutdown: z.number().min(0).finite().default(30),
    timeoutHeaders: seconds.max(3600).default(30),
    maxHeaderSize: z.number().int().min(1024).default(16 * 1024),
    maxBodySize: z.number().int().min(0).optional(),
    sslKeyfile: z.string().min(1).optional(),
    sslCertfile: z.string().min(1).optional(),
    sslKeyfilePassword: z.string().optional(),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    accessLog: z.boolean().default(true),
    useColors: z.boolean().optional(),
    serverHeader: z.boolean().default(true),
    dateHeader: z.boolean().default(true),
    logStream: logStream.optional(),
    ws: z.enum(['auto', 'none']).default('auto'),
    wsMaxSize: z.number().int().positive().default(16 * 1024 * 1024),
    wsMaxQueue: z.number().int().positive().default(32),
    wsPingInterval: z.number().min(0).finite().default(20),
    wsPingTimeout: seconds.default(20),
    wsPerMessageDeflate: z.boolean().default(true),
  })
  .superRefine((options, context) => {
    if (options.uds !== undefined && options.fd !== undefined) {
      context.addIssue({ code: 'custom', path: ['fd'], message: 'uds and fd are exclusive' });
    }
    if (options.interface === 'fastcgi' && options.sslKeyfile !== undefined) {
      context.addIssue({ code: 'custom', path: ['interface'], message: 'fastcgi has no tls' });
    }
    if (options.interface === 'fastcgi' && options.http !== '1.1') {
      context.addIssue({ code: 'custom', path: ['http'], message: 'fastcgi is not http/2' });
    }
    if (options.http1 === 'portico' && (options.http !== '1.1' || options.interface !== 'http')) {
      context.addIssue({ code: 'custom', path: ['http1'], message: 'portico serves http 1.1 ports only' });
    }
    if ((options.sslKeyfile === undefined) !== (options.sslCertfile === undefined)) {
      context.addIssue({ code: 'custom', path: [options.sslKeyfile === undefined ? 'sslKeyfile' : 'sslCertfile'], message: 'ssl pair' });
    }
  });

/** The options of `new Server(app, options)` and `serve(app, options)`; every one is optional. */
export type ServerOptions = z.input<typeof optionsSchema>;

/** What values each option accepts, for error messages; what an option does is said once, in cli/options.ts. */
const expected: Record<keyof ServerOptions, string> = {
  host: 'a host name or IP address to bind, e.g. 127.0.0.1 or 0.0.0.0',
  port: 'an integer from 0 to 65535 (0 picks a free port)',
  http: "'1.1', '2' or 'auto'; only '1.1' with interface 'fastcgi'",
  http1: "'node' or 'portico'; 'portico' only with http '1.1' and interface 'http' (the HTTP/1.1 side of an 'auto' port is node:http's)",
  interface: "'http' (HTTP/1.1 clients) or 'fastcgi' (a web server such as nginx in front, with fastcgi_pass); fastcgi takes no TLS options",
  uds: 'the path of a Unix domain socket',
  fd: 'an open file descriptor number (an integer >= 0), and not together with uds',
  lifespan: "'auto', 'on' or 'off'",
  rootPath: "'' or a path that starts with '/' and does not end with '/', e.g. /api",
  proxyHeaders: 'true or false',
  forwardedAllowIps: "'*', IP addresses or CIDR networks, as a list or a comma-separated string",
  limitConcurrency: 'a positive integer',
  limitMaxRequests: 'a positive integer',
  timeoutKeepAlive: 'a number of seconds greater than 0',
  timeoutGracefulShutdown: 'a number of seconds, 0 or more',
  timeoutHeaders: 'a number of seconds greater than 0, at most 3600',
  maxHeaderSize: 'a number of bytes, at least 1024',
  maxBodySize: 'a number of bytes, 0 or more',
  sslKeyfile: 'the path of a PEM private key, together with sslCertfile',
  sslCertfile: 'the path of a PEM certificate, together with sslKeyfile',
  sslKeyfilePassword: 'the password of the private key, as a string',
  logLevel: LOG_LEVELS.map((level) => `'${level}'`).join(', '),
  accessLog: 'true or false',
  useColors: 'true or false',
  serverHeader: 'true or false',
  dateHeader: 'true or false',
  logStream: 'an object with a write(text) method, e.g. process.stderr',
  ws: "'auto' or 'none'",
  wsMaxSize: 'a number of bytes greater than 0',
  wsMaxQueue: 'a positive integer',
  wsPingInterval: 'a number of seconds, 0 or more',
  wsPingTimeout: 'a number of seconds greater than 0',
  wsPerMessageDeflate: 'true or false',
};

/** The option names `new Server()` knows, listed when an unknown one is given. */
const OPTION_NAMES = Object.keys(expected) as Array<keyof ServerOptions>;


/** Options checked, with their defaults: a `ServerConfig` before the TLS files are read. */
export type CheckedOptions = z.output<typeof optionsSchema>;

/**
 * Check the options and apply defaults. Throws one `ConfigError` listing every wrong option, so a
 * user fixes them all at once.
 *
 * @example
 * const { rootPath } = checkOptions({ rootPath: '/api' });
 */
export function checkOptions(options: ServerOptions = {}): CheckedOptions {
  const parsed = optionsSchema.safeParse(options);
  if (parsed.success) return parsed.data;
  const given = options as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ option: key, value: given[key], expected: `one of the known options: ${OPTION_NAMES.join(', ')}` });
      continue;
    }
    const option = String(issue.path[0] ?? '(options)');
    if (issues.some((known) => known.option === option)) continue;
    issues.push({ option, value: given[option], expected: expected[option as keyof ServerOptions] ?? issue.message });
  }
  throw new ConfigError(issues);
}
