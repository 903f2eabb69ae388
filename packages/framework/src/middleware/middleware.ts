import type { App as GatewayApp } from '@portico/protocol';
import { describeValue, isClass } from '../arguments';
import { ProtocolApp } from '../protocol-app';

/**
 * Wraps an app in another: app in, app out. It must pass scope types it does not handle straight
 * through. `checkOptions`, when the factory has it, runs in `new Middleware(factory, options)`, so
 * wrong options fail when the app is configured rather than when it first serves.
 */
export type MiddlewareFactory<Options> = ((app: GatewayApp, options: Options) => GatewayApp) & { checkOptions?: (options: Options) => void };

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
    if (typeof factory !== 'function' || isClass(factory) || factory instanceof ProtocolApp) {
      throw new TypeError(`new Middleware(factory, options) takes a middleware factory (app, options) => app, such as CORSMiddleware, got ${describeValue(factory)}`);
    }
    factory.checkOptions?.(options[0] as Options);
    this.factory = factory;
    this.options = options[0] as Options;
  }

  /** Wrap `app` in this middleware. */
  wrap(app: GatewayApp): GatewayApp {
    return this.factory(app, this.options);
  }
}

/**
 * Check a middleware entry given to `where` (an App's middleware list, `app.use`): it needs a
 * `wrap(app)` method, as every Middleware has.
 */
export function checkMiddlewareEntry(entry: unknown, where: string): asserts entry is MiddlewareEntry {
  if (typeof (entry as Partial<Record<'wrap', unknown>> | null | undefined)?.wrap === 'function') return;
  const hint =
    typeof entry === 'function' && !(entry instanceof ProtocolApp)
      ? ': wrap a factory (app, options) => app as new Middleware(factory, options), and a (request, next) function as httpMiddleware(fn)'
      : '';
  throw new TypeError(`${where} is ${describeValue(entry)}, not a middleware entry (a new Middleware(factory, options))${hint}`);
}
