import type { ServerOptions } from '../config';

/** How a flag's text becomes an option value. */
type Kind = 'string' | 'integer' | 'number' | 'true' | 'false';

/** What only the command line decides (not `new Server()`). */
export interface CliOnlyOptions {
  workers: number;
  reload: boolean;
  factory: boolean;
}

export interface Flag {
  /** Without the leading `--`. */
  name: string;
  /** The option it sets. */
  key: keyof ServerOptions | keyof CliOnlyOptions;
  kind: Kind;
  /** Shown in help after the flag, e.g. `<port>`. */
  value?: string;
  help: string;
}

/**
 * Every flag of `portico serve`, in help order. Flags map 1:1 onto `ServerOptions` (or the CLI's own
 * options); boolean options with a `true` default have a `--no-...` flag.
 */
export const FLAGS: readonly Flag[] = [
  { name: 'interface', key: 'interface', kind: 'string', value: '<http|fastcgi>', help: 'http: HTTP clients; fastcgi: a web server in front (nginx fastcgi_pass).' },
  { name: 'host', key: 'host', kind: 'string', value: '<host>', help: 'Bind to this address (0.0.0.0 for every IPv4 interface).' },
  { name: 'port', key: 'port', kind: 'integer', value: '<port>', help: 'Bind to this port; 0 picks a free one (printed at startup).' },
  { name: 'http', key: 'http', kind: 'string', value: '<1.1|2|auto>', help: '2: HTTP/2 (h2 by ALPN with TLS, else h2c); auto: h2 and HTTP/1.1 on one TLS port.' },
  { name: 'uds', key: 'uds', kind: 'string', value: '<path>', help: 'Bind to a Unix domain socket instead.' },
  { name: 'fd', key: 'fd', kind: 'integer', value: '<fd>', help: 'Serve on an inherited, already listening socket (systemd, a supervisor).' },
  { name: 'workers', key: 'workers', kind: 'integer', value: '<n>', help: 'Run n worker processes sharing the socket (node:cluster).' },
  { name: 'reload', key: 'reload', kind: 'true', help: "Restart when a source file under the app's folder changes (development)." },
  { name: 'lifespan', key: 'lifespan', kind: 'string', value: '<auto|on|off>', help: 'Lifespan events: auto runs them if the app supports them.' },
  { name: 'root-path', key: 'rootPath', kind: 'string', value: '<path>', help: "scope.rootPath: the prefix a proxy in front already removed." },
  { name: 'proxy-headers', key: 'proxyHeaders', kind: 'true', help: 'Believe X-Forwarded-* and Forwarded from trusted peers.' },
  { name: 'no-proxy-headers', key: 'proxyHeaders', kind: 'false', help: 'Ignore proxy headers.' },
  { name: 'forwarded-allow-ips', key: 'forwardedAllowIps', kind: 'string', value: '<list>', help: "Trusted proxies: comma-separated IPs/CIDRs, or '*'." },
  { name: 'limit-concurrency', key: 'limitConcurrency', kind: 'integer', value: '<n>', help: 'Answer 503 beyond n requests in flight.' },
  { name: 'limit-max-requests', key: 'limitMaxRequests', kind: 'integer', value: '<n>', help: 'Stop after n requests (workers are replaced).' },
  { name: 'timeout-keep-alive', key: 'timeoutKeepAlive', kind: 'number', value: '<s>', help: 'Close idle keep-alive connections after s seconds.' },
  { name: 'timeout-graceful-shutdown', key: 'timeoutGracefulShutdown', kind: 'number', value: '<s>', help: 'On shutdown, wait at most s seconds for requests.' },
  { name: 'timeout-headers', key: 'timeoutHeaders', kind: 'number', value: '<s>', help: 'Answer 408 when the request head takes longer (slowloris).' },
  { name: 'max-header-size', key: 'maxHeaderSize', kind: 'integer', value: '<bytes>', help: 'Answer 431 for larger request heads.' },
  { name: 'max-body-size', key: 'maxBodySize', kind: 'integer', value: '<bytes>', help: 'Answer 413 for larger request bodies.' },
  { name: 'ssl-keyfile', key: 'sslKeyfile', kind: 'string', value: '<path>', help: 'PEM private key: serve HTTPS.' },
  { name: 'ssl-certfile', key: 'sslCertfile', kind: 'string', value: '<path>', help: 'PEM certificate (chain) for the key.' },
  { name: 'ssl-keyfile-password', key: 'sslKeyfilePassword', kind: 'string', value: '<password>', help: 'Password of an encrypted key.' },
  { name: 'log-level', key: 'logLevel', kind: 'string', value: '<level>', help: 'critical, error, warning, info, debug or trace.' },
  { name: 'access-log', key: 'accessLog', kind: 'true', help: 'Log one line per response.' },
  { name: 'no-access-log', key: 'accessLog', kind: 'false', help: 'No access log.' },
  { name: 'no-server-header', key: 'serverHeader', kind: 'false', help: 'Do not add "Server: portico".' },
  { name: 'no-date-header', key: 'dateHeader', kind: 'false', help: 'Do not add a Date header.' },
  { name: 'use-colors', key: 'useColors', kind: 'true', help: 'Colour the log.' },
  { name: 'no-use-colors', key: 'useColors', kind: 'false', help: 'Never colour the log.' },
  { name: 'ws', key: 'ws', kind: 'string', value: '<auto|none>', help: 'WebSocket: auto serves upgrades; none hands them to the app as plain HTTP.' },
  { name: 'ws-max-size', key: 'wsMaxSize', kind: 'integer', value: '<bytes>', help: 'Close WebSockets sending larger messages (1009).' },
  { name: 'ws-max-queue', key: 'wsMaxQueue', kind: 'integer', value: '<n>', help: 'Stop reading a WebSocket while n messages wait for the app.' },
  { name: 'ws-ping-interval', key: 'wsPingInterval', kind: 'number', value: '<s>', help: 'Ping WebSocket peers every s seconds (0: never).' },
  { name: 'ws-ping-timeout', key: 'wsPingTimeout', kind: 'number', value: '<s>', help: 'Drop a WebSocket peer that has not answered a ping in s seconds.' },
  { name: 'ws-per-message-deflate', key: 'wsPerMessageDeflate', kind: 'true', help: 'Offer WebSocket per-message compression.' },
  { name: 'no-ws-per-message-deflate', key: 'wsPerMessageDeflate', kind: 'false', help: 'No WebSocket compression.' },
  { name: 'factory', key: 'factory', kind: 'true', help: 'The export is a factory: call it to get the app.' },
];

/** The flags `portico cgi` takes: one request per process has no socket, workers or timeouts. */
export const CGI_FLAGS: ReadonlySet<string> = new Set([
  'lifespan',
  'root-path',
  'proxy-headers',
  'no-proxy-headers',
  'forwarded-allow-ips',
  'max-body-size',
  'log-level',
  'use-colors',
  'no-use-colors',
  'factory',
]);

export const CLI_DEFAULTS: CliOnlyOptions = { workers: 1, reload: false, factory: false };

/** `rootPath` → `--root-path`, for messages about options given on the command line. */
export function flagOf(key: string): string {
  const flag = FLAGS.find((candidate) => candidate.key === key && candidate.kind !== 'false');
  return flag === undefined ? key : `--${flag.name}`;
}
