import { AccessLog } from '../access-log';
import type { ServerConfig } from '../config';
import type { Logger } from '../logger';
import type { FileAccess } from './files';

/** What every cycle of one host shares; built once per host, by `cycleSettings`. */
export interface CycleSettings {
  readonly logger: Logger;
  /** `null` when the access log is off. */
  readonly accessLog: AccessLog | null;
  /** Larger request bodies get 413 (or a cut connection, when the response had started). */
  readonly maxBodySize: number | undefined;
  /** Where `http.response.pathsend` reads files; `null` when the host does not list the extension. */
  readonly files: FileAccess | null;
}

/**
 * The cycle settings a host's configuration asks for.
 *
 * @example
 * const settings = cycleSettings(config, logger, nodeFiles);
 */
export function cycleSettings(config: Pick<ServerConfig, 'accessLog' | 'maxBodySize'>, logger: Logger, files: FileAccess | null): CycleSettings {
  return {
    logger,
    accessLog: config.accessLog && logger.enabled('info') ? new AccessLog(logger) : null,
    maxBodySize: config.maxBodySize,
    files,
  };
}
