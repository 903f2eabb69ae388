import type { Readable, Writable } from 'node:stream';
import type { App } from '@portico/protocol';
import type { ServerConfig } from '../config';
import { HttpCycle } from '../cycle/http-cycle';
import { plainResponse } from '../cycle/plain-response';
import { cycleSettings } from '../cycle/settings';
import { PATHSEND_ONLY } from '../extensions';
import { nodeFiles } from '../file-body';
import { LifespanStartupError } from '../errors';
import { createLifespan } from '../lifespan';
import type { Logger } from '../logger';
import { trustedProxies } from '../proxy-headers';
import { CgiEnvironmentError, cgiRequest, type CgiEnvironment } from './environment';
import { StdioTransport } from './stdio-transport';


export interface CgiStdio {
  env: CgiEnvironment;
  stdin: Readable;
  stdout: Writable;
}

/**
 * Serve the one request of a CGI process (RFC 3875): lifespan startup, the request from the
 * environment and stdin through the shared `HttpCycle`, the CGI response on stdout, lifespan
 * shutdown. Resolves with the exit code: 0 once a response was written, a 500 for an app that
 * failed included (the web server reports it); 1 when lifespan startup failed (after a 500), or when
 * the response was cut after its head (stdout ended short of it).
 * Errors go to the logger (stderr), never to stdout.
 *
 * @example
 * process.exitCode = await runCgi(app, config, logger, { env: new Map(Object.entries(process.env)), stdin: process.stdin, stdout: process.stdout });
 */
export async function runCgi(app: App, config: ServerConfig, logger: Logger, stdio: CgiStdio): Promise<number> {
  const lifespan = createLifespan(app, config.lifespan, logger);
  try {
    await lifespan.startup();
  } catch (error) {
    if (!(error instanceof LifespanStartupError)) logger.error('Lifespan startup failed', error);
    return answerPlain(stdio, 500, 1);
  }
  let request;
  let exitCode = 0;
  try {
    // After startup: the scope's state is a copy of what startup stored.
    request = cgiRequest(stdio.env, {
      rootPath: config.rootPath,
      extensions: PATHSEND_ONLY,
      state: lifespan.state,
      trusted: trustedProxies(config),
    });
  } catch (error) {
    if (!(error instanceof CgiEnvironmentError)) throw error;
    logger.error(`Not a CGI request: ${error.message}. Run 'portico cgi' from a web server's CGI handler (RFC 3875).`);
    await answerPlain(stdio, 400, 0);
  }
  if (request !== undefined) {
    const transport = new StdioTransport(request.declaredBodyLength, stdio.stdin, stdio.stdout);
    await new HttpCycle(request.scope, transport, cycleSettings({ accessLog: false, maxBodySize: config.maxBodySize }, logger, nodeFiles)).run(app);
    // No response when the web server left first (stdin cut short): stdout ends empty.
    if (!stdio.stdout.writableEnded) stdio.stdout.end();
    await flushed(stdio.stdout);
    if (transport.aborted) exitCode = 1;
  }
  try {
    await lifespan.shutdown();
  } catch {
    // Logged by the lifespan with the app's message; the response is out already.
  }
  return exitCode;
}

async function answerPlain(stdio: CgiStdio, status: number, exitCode: number): Promise<number> {
  const transport = new StdioTransport(null, stdio.stdin, stdio.stdout);
  plainResponse(transport, status, stdio.env.get('REQUEST_METHOD') ?? 'GET');
  await flushed(stdio.stdout);
  return exitCode;
}

function flushed(stdout: Writable): Promise<void> {
  if (stdout.writableFinished || stdout.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stdout.once('finish', resolve);
    stdout.once('close', resolve);
  });
}
