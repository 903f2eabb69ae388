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
import { parseCommand, UsageError, type Command } from './args';
import { cgiHelp, mainHelp, serveHelp } from './help';
import { AppLoadError, loadApp } from './load-app';
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
    command = parseCommand(argv);
    if (command.kind !== 'serve') {
      if (command.kind === 'cgi') return await runCgiCommand(command);
      process.stdout.write(`${command.kind === 'version' ? version() : helpFor(command.topic)}\n`);
      return 0;
    }
    config = resolveConfig(command.options); // every wrong option is reported before anything starts
  } catch (error) {
    if (error instanceof UsageError) {
      stderrLogger().error(error.message);
      return 2;
    }
    if (error instanceof ConfigError) {
      for (const line of error.renamed(flagOf).message.split('\n')) stderrLogger().error(line);
      return 1;
    }
    throw error;
  }
  const { workers, reload } = command.cli;
  if (cluster.isPrimary && (workers > 1 || reload)) {
    return new Supervisor({ workers, reload, app: command.app, scheme: listenScheme(config) }, stderrLogger(config)).run();
  }
  return runServer(command, config);
}

/** The app the command names, or `null` once the reason it could not be loaded is logged. */
async function loadOrLog(command: ServeCommand | CgiCommand, logger: Logger): Promise<App | null> {
  try {
    return await loadApp(command.app, process.cwd(), command.cli.factory);
  } catch (error) {
    if (error instanceof AppLoadError) logger.error(error.message);
    else logger.error(`Error loading the app '${command.app}'`, error);
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
