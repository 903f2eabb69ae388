import type { ServerOptions } from '../config';

/** How a flag's text becomes an option value; `list` flags may be repeated. */
export type Kind = 'string' | 'integer' | 'number' | 'boolean' | 'list';

/** What only the command line decides (not `new Server()`). */
export interface CliOnlyOptions {
  workers: number;
  reload: boolean;
  factory: boolean;
  envFile: string | undefined;
  reloadDirs: string[];
  reloadIncludes: string[];
  reloadExcludes: string[];
}

export interface Flag {
  /** Without the leading `--`. */
  name: string;
  /** The option it sets. */
  key: keyof ServerOptions | keyof CliOnlyOptions;
  kind: Kind;
  /** A boolean flag that also has a `--no-...` form. */
  negatable?: boolean;
  /** Shown in help after the flag, e.g. `<port>`. */
  value?: string;
  /** What it does: the one description, in `--help` and in the README's table. */
  help: string;
  /** The default in words, where the value itself says it badly (`the app's folder`). */
  defaultText?: string;
  /** The README section that says more: `['HTTP/2', 'http2']` links `[HTTP/2](#http2)`. */
  see?: readonly [title: string, anchor: string];
}

/** An option of `new Server()` that has no flag, for the README's table. */
export interface ApiOnlyOption {
  key: keyof ServerOptions;
  defaultText: string;
  help: string;
}

/**
 * Every flag of `portico serve`, in help order. Flags map 1:1 onto `ServerOptions` (or the CLI's own
 * options), and each has an environment variable named after it (see env.ts).
 */
export const FLAGS: readonly Flag[] = [
  { name: 'interface', key: 'interface', kind: 'string', value: '<http|fastcgi>', help: 'http: HTTP clients; fastcgi: a web server in front speaks FastCGI to us (nginx fastcgi_pass).', see: ['FastCGI', 'fastcgi'] },
  { name: 'host', key: 'host', kind: 'string', value: '<host>', help: 'Bind to this address (0.0.0.0 for every IPv4 interface).' },
  { name: 'port', key: 'port', kind: 'integer', value: '<port>', help: 'Bind to this port; 0 picks a free one (printed at startup).' },
  { name: 'http', key: 'http', kind: 'string', value: '<1.1|2|auto>', help: '2: HTTP/2 (h2 by ALPN with TLS, h2c without); auto: HTTP/2 and HTTP/1.1 on one port (by ALPN with TLS, by the connection preface without).', see: ['HTTP/2', 'http2'] },
  { name: 'http1', key: 'http1', kind: 'string', value: '<node|portico>', help: "The HTTP/1.1 implementation: node (node:http) or portico (Portico's own parser and writer on raw sockets; with --http 1.1 only).", see: ['HTTP/1.1 implementations', 'http11-implementations'] },
  { name: 'uds', key: 'uds', kind: 'string', value: '<path>', help: 'Bind to a Unix domain socket instead (mode 0666, removed on close).' },
  { name: 'fd', key: 'fd', kind: 'integer', value: '<fd>', help: 'Serve on an inherited, already listening socket (systemd, a supervisor).' },
  { name: 'workers', key: 'workers', kind: 'integer', value: '<n>', help: 'Run n worker processes sharing the socket (node:cluster; ignored, with a warning, under --reload).' },
  { name: 'reload', key: 'reload', kind: 'boolean', help: "Restart when a source file changes (development); watches the app's folder unless --reload-dir.", see: ['Workers and reload', 'workers-and-reload'] },
  { name: 'reload-dir', key: 'reloadDirs', kind: 'list', value: '<dir>', help: "With --reload, watch this folder instead of the app's (repeatable).", defaultText: "the app's folder" },
  { name: 'reload-include', key: 'reloadIncludes', kind: 'list', value: '<glob>', help: 'With --reload, also watch files matching this glob, e.g. "*.html" (repeatable).' },
  { name: 'reload-exclude', key: 'reloadExcludes', kind: 'list', value: '<glob>', help: 'With --reload, ignore files and folders matching this glob, e.g. "*.test.ts" (repeatable).' },
  { name: 'lifespan', key: 'lifespan', kind: 'string', value: '<auto|on|off>', help: 'Lifespan events: auto runs them if the app supports them.', see: ['Lifespan', 'lifespan'] },
  { name: 'root-path', key: 'rootPath', kind: 'string', value: '<path>', help: "scope.rootPath: the prefix a proxy in front already removed." },
  { name: 'proxy-headers', key: 'proxyHeaders', kind: 'boolean', negatable: true, help: 'Believe X-Forwarded-* and Forwarded from trusted peers.' },
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
  { name: 'access-log', key: 'accessLog', kind: 'boolean', negatable: true, help: 'Log one line per response.' },
  { name: 'server-header', key: 'serverHeader', kind: 'boolean', negatable: true, help: 'Add "Server: portico" (an app\'s own server header wins).' },
  { name: 'date-header', key: 'dateHeader', kind: 'boolean', negatable: true, help: 'Add a Date header.' },
  { name: 'use-colors', key: 'useColors', kind: 'boolean', negatable: true, help: 'Colour the log (NO_COLOR and FORCE_COLOR are honoured).' },
  { name: 'ws', key: 'ws', kind: 'string', value: '<auto|none>', help: 'WebSocket: auto serves upgrades; none hands them to the app as plain HTTP.', see: ['WebSocket', 'websocket'] },
  { name: 'ws-max-size', key: 'wsMaxSize', kind: 'integer', value: '<bytes>', help: 'Close WebSockets sending larger messages (1009).' },
  { name: 'ws-max-queue', key: 'wsMaxQueue', kind: 'integer', value: '<n>', help: 'Stop reading a WebSocket while n messages wait for the app.' },
  { name: 'ws-ping-interval', key: 'wsPingInterval', kind: 'number', value: '<s>', help: 'Ping WebSocket peers every s seconds (0: never).' },
  { name: 'ws-ping-timeout', key: 'wsPingTimeout', kind: 'number', value: '<s>', help: 'Drop a WebSocket peer that has not answered a ping in s seconds.' },
  { name: 'ws-per-message-deflate', key: 'wsPerMessageDeflate', kind: 'boolean', negatable: true, help: 'WebSocket per-message compression (RFC 7692) when the client offers it.' },
  { name: 'factory', key: 'factory', kind: 'boolean', help: 'The export is a factory: call it to get the app.' },
  { name: 'env-file', key: 'envFile', kind: 'string', value: '<path>', help: 'Load KEY=VALUE lines into the environment before the app loads (set variables win).' },
];

/** The options of `new Server()` that no flag sets. */
export const API_ONLY_OPTIONS: readonly ApiOnlyOption[] = [
  { key: 'logStream', defaultText: 'process.stderr', help: 'Where log lines go (anything with write(text)).' },
];

/** The flags `portico cgi` takes: one request per process has no socket, workers or timeouts. */
export const CGI_FLAGS: ReadonlySet<string> = new Set([
  'lifespan',
  'root-path',
  'proxy-headers',
  'forwarded-allow-ips',
  'max-body-size',
  'log-level',
  'use-colors',
  'factory',
]);

export const CLI_DEFAULTS: Readonly<CliOnlyOptions> = {
  workers: 1,
  reload: false,
  factory: false,
  envFile: undefined,
  reloadDirs: [],
  reloadIncludes: [],
  reloadExcludes: [],
};

/** The flag that sets an option key, if there is one. */
export function flagFor(key: string): Flag | undefined {
  return FLAGS.find((candidate) => candidate.key === key);
}

/** `rootPath` → `--root-path`, for messages about options given on the command line. */
export function flagOf(key: string): string {
  const flag = flagFor(key);
  return flag === undefined ? key : `--${flag.name}`;
}

/** `--ssl-keyfile` → `PORTICO_SSL_KEYFILE`: one environment variable per flag. */
export function envNameOf(flag: Flag): string {
  return `PORTICO_${flag.name.toUpperCase().replace(/-/g, '_')}`;
}
