import type { HttpScope } from '@portico/protocol';
import type { Logger } from './logger';

/**
 * The request line as a log shows it: `GET /api/items?page=2 HTTP/1.1`. Built from the scope, so
 * it is only computed when something is logged.
 */
export function requestLine(scope: HttpScope): string {
  const query = scope.queryString === '' ? '' : `?${scope.queryString}`;
  return `${scope.method} ${scope.rootPath}${scope.rawPath}${query} HTTP/${scope.httpVersion}`;
}

function statusColour(status: number): 'green' | 'cyan' | 'yellow' | 'red' | 'bold' {
  if (status >= 500) return 'red';
  if (status >= 400) return 'yellow';
  if (status >= 300) return 'cyan';
  if (status >= 200) return 'green';
  return 'bold';
}

/**
 * One line per response, like Uvicorn's: `127.0.0.1:51234 - "GET /path HTTP/1.1" 200`.
 * The client is the one the app saw (after trusted proxy headers); `-` when unknown (Unix socket).
 *
 * @example
 * const log = new AccessLog(logger);
 * log.write(scope, 200); // INFO:     127.0.0.1:51234 - "GET / HTTP/1.1" 200
 */
export class AccessLog {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  write(scope: HttpScope, status: number): void {
    const { client } = scope;
    const peer = client === null ? '-' : `${client.host}:${client.port}`;
    const line = this.#logger.paint(`"${requestLine(scope)}"`, 'bold');
    this.#logger.info(`${peer} - ${line} ${this.#logger.paint(String(status), statusColour(status))}`);
  }
}
