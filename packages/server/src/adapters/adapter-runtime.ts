import type { App, State } from '@portico/protocol';
import type { FileAccess } from '../cycle/files';
import { cycleSettings, type CycleSettings } from '../cycle/settings';
import { createLifespan, type Lifespan } from '../lifespan';
import { colourByDefault, Logger, type LogStream } from '../logger';
import { checkOptions, type CheckedOptions, type ServerOptions } from '../server-options';

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

const CONSOLE: LogStream = { write: (text) => console.error(text.replace(/\n$/, '')) };

/**
 * What `toFetchHandler` and `toNodeHandler` share: checked options, a logger, the cycle settings and
 * the app's lifespan. A handler has no server start to hang lifespan startup on, so it runs on the
 * first request (or an explicit `startup()`); shutdown is only ever explicit, because serverless
 * runtimes never say when they stop.
 */
export class AdapterRuntime implements AdapterLifespan {
  readonly config: CheckedOptions;
  readonly logger: Logger;
  readonly cycleSettings: CycleSettings;
  readonly #lifespan: Lifespan;
  #started: Promise<void> | null = null;

  /** `files`: where `http.response.pathsend` reads from; `null` leaves the extension out. */
  constructor(app: App, options: AdapterOptions, adapter: string, files: FileAccess | null) {
    if (typeof app !== 'function') throw new TypeError(`${adapter} needs an app function (scope, receive, send) => Promise<void>; got ${typeof app}`);
    // An adapter lives inside another server, which usually logs requests itself.
    this.config = checkOptions({ ...options, accessLog: options.accessLog ?? false });
    // Workers have no `process` unless asked for: there the log goes to the console.
    const stream: LogStream = this.config.logStream ?? globalThis.process?.stderr ?? CONSOLE;
    this.logger = new Logger(this.config.logLevel, stream, this.config.useColors ?? (stream !== CONSOLE && colourByDefault(stream)));
    this.cycleSettings = cycleSettings(this.config, this.logger, files);
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
