import type { App, State } from '@portico/protocol';
import { AccessLog } from '../access-log';
import { resolveConfig, type ServerConfig, type ServerOptions } from '../config';
import type { CycleSettings } from '../cycle/http-cycle';
import { createLifespan, type Lifespan } from '../lifespan';
import { colourByDefault, Logger } from '../logger';

/** The server options an adapter uses: no binding, TLS or timeouts, since the surrounding server owns the connections. */
export type AdapterOptions = Pick<ServerOptions, 'rootPath' | 'lifespan' | 'maxBodySize' | 'logLevel' | 'logStream' | 'useColors' | 'accessLog'>;

/** What an adapter's handler carries besides being a function: the app's lifespan, run on demand. */
export interface AdapterLifespan {
  /**
   * Run lifespan startup now (once; later calls share the first). Without it, the first request
   * runs it. Rejects with `LifespanStartupError` when the app's startup fails.
   */
  startup(): Promise<void>;
  /** Run lifespan shutdown, once startup has run; nothing to do otherwise. */
  shutdown(): Promise<void>;
  /** The lifespan state; each request scope gets a shallow copy. */
  readonly state: State;
}

/**
 * What `toFetchHandler` and `toNodeHandler` share: checked options, a logger, the cycle settings and
 * the app's lifespan. A handler has no server start to hang lifespan startup on, so it runs on the
 * first request (or an explicit `startup()`); shutdown is only ever explicit, because serverless
 * runtimes never say when they stop.
 */
export class AdapterRuntime implements AdapterLifespan {
  readonly config: ServerConfig;
  readonly logger: Logger;
  readonly cycleSettings: CycleSettings;
  readonly #lifespan: Lifespan;
  #started: Promise<void> | null = null;

  constructor(app: App, options: AdapterOptions, adapter: string) {
    if (typeof app !== 'function') throw new TypeError(`${adapter} needs an app function (scope, receive, send) => Promise<void>; got ${typeof app}`);
    // An adapter lives inside another server, which usually logs requests itself.
    this.config = resolveConfig({ ...options, accessLog: options.accessLog ?? false });
    const stream = this.config.logStream ?? process.stderr;
    this.logger = new Logger(this.config.logLevel, stream, this.config.useColors ?? colourByDefault(stream));
    this.cycleSettings = {
      logger: this.logger,
      accessLog: this.config.accessLog && this.logger.enabled('info') ? new AccessLog(this.logger) : null,
      maxBodySize: this.config.maxBodySize,
    };
    this.#lifespan = createLifespan(app, this.config.lifespan, this.logger);
  }

  get state(): State {
    return this.#lifespan.state;
  }

  readonly startup = (): Promise<void> => {
    this.#started ??= this.#lifespan.startup();
    return this.#started;
  };

  readonly shutdown = async (): Promise<void> => {
    if (this.#started === null) return;
    await this.#started.catch(() => undefined);
    await this.#lifespan.shutdown();
  };
}
