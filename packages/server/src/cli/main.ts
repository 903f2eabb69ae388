import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@portico/protocol';
import { runCgi } from '../cgi/run-cgi';
import { resolveConfig, type ServerConfig } from '../config';
import { ConfigError, LifespanStartupError } from '../errors';
import { colourByDefault, Logger } from '../logger';
import { listenScheme } from '../host';
import { serve, Server } from '../server';
import { handleSignals } from '../signals';
import { buildCommand, parseArgv, UsageError, type Command, type ParsedArgv } from './args';
import { loadEnvFile } from './env';
import { cgiHelp, mainHelp, serveHelp } from './help';
import { describeLoadError } from './load-error';
import { AppLoadError, FactoryError, findModule, loadApp, splitAppSpec } from './load-app';
import { flagOf } from './options';
import { REQUEST_LIMIT_MESSAGE, Supervisor } from './supervisor';

type ServeCommand = Extract<Command, { kind: 'serve' }>;
type CgiCommand = Extract<Command, { kind: 'cgi' }>;

const stderrLogger = (config?: ServerConfig): Logger =>
  new Logger(config?.logLevel ?? 'info', process.stderr, config?.useColors ?? colourByDefault(process.stderr));

function version(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return `portico (@portico/server) ${manifest.version} on Node ${process.version}`;
}

/**
 * The `portico` command. Resolves with the process exit code: 0 after a clean stop, 1 when the
 * app or its startup failed or an option is wrong, 2 for a command line it does not understand.
 *
 * @example
 * process.exit(await main(['serve', 'app.ts', '--port', '0']));
 */
export async function main(argv: readonly string[]): Promise<number> {
  let command: Command;
  let config: ServerConfig;
  try {
    const parsed = parseArgv(argv);
    if (parsed.kind === 'serve' || parsed.kind === 'cgi') loadEnvFileOf(parsed);
    command = buildCommand(parsed, process.env);
    if (command.kind !== 'serve') {
      if (command.kind === 'cgi') return await runCgiCommand(command);
      process.stdout.write(`${command.kind === 'version' ? version() : helpFor(command.topic)}\n`);
      return 0;
    }
    config = resolveConfig(command.options); // checked already by buildCommand, every wrong option at once
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.usage !== undefined) process.stderr.write(`${error.usage}\n\n`);
      stderrLogger().error(error.message);
      return 2;
    }
    if (error instanceof ConfigError) {
      for (const line of error.message.split('\n')) stderrLogger().error(line);
      return 1;
    }
    throw error;
  }
  const logger = stderrLogger(config);
  const { reload } = command.cli;
  let { workers } = command.cli;
  if (reload && workers > 1) {
    // As uvicorn does: the reloader restarts one server process, so extra workers would only cost startup time.
    if (cluster.isPrimary) logger.warning(`${nameOf(command, 'workers')} ${workers} is ignored with ${nameOf(command, 'reload')}: the reloader runs one server process.`);
    workers = 1;
  }
  const reloadOnly = (['reloadDirs', 'reloadIncludes', 'reloadExcludes'] as const).filter((key) => command.sources.has(key));
  if (!reload && reloadOnly.length > 0 && cluster.isPrimary) {
    logger.warning(`${reloadOnly.map((key) => nameOf(command, key)).join(', ')} ha${reloadOnly.length > 1 ? 've' : 's'} no effect without --reload.`);
  }
  if (cluster.isPrimary && (workers > 1 || reload)) {
    const { reloadDirs, reloadIncludes, reloadExcludes } = command.cli;
    const watch = { dirs: reloadDirs, include: reloadIncludes, exclude: reloadExcludes };
    return new Supervisor({ workers, reload, app: command.app, scheme: listenScheme(config), watch }, logger).run();
  }
  return runServer(command, config);
}

/** Where an option was set, as the user wrote it: `--workers` or `PORTICO_WORKERS`. */
function nameOf(command: ServeCommand, key: string): string {
  return command.sources.get(key) ?? flagOf(key);
}

/** `--env-file` (or `PORTICO_ENV_FILE`) goes into the environment before the rest of it is read. */
function loadEnvFileOf(parsed: Extract<ParsedArgv, { kind: 'serve' | 'cgi' }>): void {
  const given = parsed.flags.get('envFile');
  const fromEnv = process.env['PORTICO_ENV_FILE'];
  if (given !== undefined && typeof given.raw === 'string') loadEnvFile(given.raw, given.source);
  else if (fromEnv !== undefined && fromEnv !== '') loadEnvFile(fromEnv, 'PORTICO_ENV_FILE');
}

/** The app the command names, or `null` once the reason it could not be loaded is logged. */
async function loadOrLog(command: ServeCommand | CgiCommand, logger: Logger): Promise<App | null> {
  try {
    return await loadApp(command.app, process.cwd(), command.cli.factory);
  } catch (error) {
    if (error instanceof AppLoadError) {
      logger.error(error.message);
    } else if (error instanceof FactoryError) {
      const hint = error.cause instanceof TypeError ? '\n(If the export is the app itself, leave out --factory.)' : '';
      logger.error(`${error.message}: ${describeLoadError(error.cause, '', process.cwd())}${hint}`);
    } else {
      const file = findModule(splitAppSpec(command.app).module, process.cwd());
      logger.error(`Error loading the app '${command.app}': ${describeLoadError(error, file, process.cwd())}`);
    }
    return null;
  }
}

function helpFor(topic: 'main' | 'serve' | 'cgi'): string {
  if (topic === 'serve') return serveHelp();
  return topic === 'cgi' ? cgiHelp() : mainHelp();
}

/**
 * `portico cgi`: one request from the CGI environment and stdin. Logs at 'warning' unless
 * --log-level says otherwise: stderr is the web server's error log, read per request.
 */
async function runCgiCommand(command: CgiCommand): Promise<number> {
  const config = resolveConfig({ logLevel: 'warning', ...command.options });
  const logger = stderrLogger(config);
  const app = await loadOrLog(command, logger);
  if (app === null) return 1;
  const env = new Map(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return runCgi(app, config, logger, { env, stdin: process.stdin, stdout: process.stdout });
}

/** One server process: the only one, or a worker of the supervisor. */
async function runServer(command: ServeCommand, config: ServerConfig): Promise<number> {
  const logger = stderrLogger(config);
  logger.info(`Started server process [${process.pid}]`);
  const app = await loadOrLog(command, logger);
  if (app === null) return 1;
  let server: Server;
  try {
    if (cluster.isWorker) {
      // The supervisor owns Ctrl+C: it sends each worker one SIGTERM (a second one forces the exit).
      process.on('SIGINT', () => undefined);
      server = new Server(app, command.options);
      server.onRequestLimit = () => process.send?.(REQUEST_LIMIT_MESSAGE);
      const stopHandling = handleSignals(server, ['SIGTERM']);
      void server.closed.then(stopHandling);
      await server.start();
    } else {
      server = await serve(app, command.options);
    }
  } catch (error) {
    // A failed lifespan startup was logged with the app's message already.
    if (!(error instanceof LifespanStartupError)) logger.error((error as Error).message);
    return 1;
  }
  await server.closed;
  logger.info(`Finished server process [${process.pid}]`);
  return 0;
}
