import type { App as GatewayApp } from '@portico/protocol';

/** Wraps an app in another: app in, app out. It must pass scope types it does not handle straight through. */
export type MiddlewareFactory<Options> = (app: GatewayApp, options: Options) => GatewayApp;

/** What an App's middleware list holds: anything that wraps an app (every Middleware does). */
export interface MiddlewareEntry {
  wrap(app: GatewayApp): GatewayApp;
}

/**
 * A middleware entry: the factory and its options, applied when the App builds its stack (once,
 * on the first call). In `new App({ middleware: [a, b] })` and `app.use(a); app.use(b)`, `a` is
 * the outermost: it sees the request first and the response last.
 *
 * @example
 * const timing: MiddlewareFactory<{ header: string }> = (app, { header }) =>
 *   async function timing(scope, receive, send) {
 *     if (scope.type !== 'http') return app(scope, receive, send);
 *     const started = performance.now();
 *     await app(scope, receive, (event) => {
 *       if (event.type === 'http.response.start') event.headers = [...(event.headers ?? []), [header, String(performance.now() - started)]];
 *       return send(event);
 *     });
 *   };
 * new App({ middleware: [new Middleware(timing, { header: 'x-time' })] });
 */
export class Middleware<Options = undefined> implements MiddlewareEntry {
  readonly factory: MiddlewareFactory<Options>;
  readonly options: Options;

  constructor(factory: MiddlewareFactory<Options>, ...options: Options extends undefined ? [options?: Options] : [options: Options]) {
    this.factory = factory;
    this.options = options[0] as Options;
  }

  /** Wrap `app` in this middleware. */
  wrap(app: GatewayApp): GatewayApp {
    return this.factory(app, this.options);
  }
}
