import { AsyncQueue, channels, type App as GatewayApp, type HeaderList, type HttpScope, type Receive, type Send, type SendEvent } from '@portico/protocol';
import { Interrupt } from '../interrupt';
import { Request } from '../requests';
import { Response } from '../responses/response';
import { Middleware } from './middleware';

/** Call the rest of the stack; resolves with its response as soon as its headers are ready. */
export type Next = (request?: Request) => Promise<Response>;

/** A middleware written as `(request, next) => response`. */
export type RequestMiddleware = (request: Request, next: Next) => Response | Promise<Response>;

/**
 * Middleware as a function of the request and `next`. Unlike Starlette's BaseHTTPMiddleware it
 * does not buffer: `next()` resolves when the inner app starts its response, and the body then
 * flows from the inner app to the client event by event, with back-pressure, so streaming
 * responses keep streaming. The inner app runs inside the `next()` call, so an
 * AsyncLocalStorage store entered around `next()` is seen by the handler. Change
 * `response.status` or `response.headers` before returning it, or return another Response.
 * A body the middleware read with `request.body()` is replayed to the inner app.
 *
 * @example
 * app.use(async (request, next) => {
 *   const response = await next();
 *   response.headers.set('x-request-path', request.url.path);
 *   return response;
 * });
 */
export function httpMiddleware(dispatch: RequestMiddleware): Middleware {
  return new Middleware((app: GatewayApp) =>
    async function requestMiddleware(scope, receive, send) {
      if (scope.type !== 'http') return app(scope, receive, send);
      const request = new Request(scope, channels(scope, receive, send).receive);
      const inner = new InnerCall(app, send);
      const response: unknown = await dispatch(request, (nextRequest = request) => inner.start(nextRequest));
      if (!(response instanceof Response)) {
        throw new TypeError(`a (request, next) middleware returned ${response === undefined ? 'undefined' : typeof response}: did you forget to return a Response or await next()?`);
      }
      if (response !== inner.response) inner.discard();
      // As a route does: a response that streams request.stream() back must not compete for the body.
      await response.handle(scope, request.responseReceive, send);
      await inner.finished();
    },
  );
}

type Relayed = { event: SendEvent; delivered: () => void } | { end: true; failure?: { error: unknown } };

/** One run of the inner app, whose events are relayed to the client by the response next() gave. */
class InnerCall {
  readonly #app: GatewayApp;
  readonly #send: Send;
  readonly #events = new AsyncQueue<Relayed>();
  #running: Promise<void> | undefined;
  #discarded = false;
  #wakeDiscarded: ((event: { type: 'http.disconnect' }) => void) | undefined;
  /** An error the inner app threw after its response started, while nobody relays it. */
  #lateFailure: { error: unknown } | undefined;
  response: RelayedResponse | undefined;

  constructor(app: GatewayApp, send: Send) {
    this.#app = app;
    this.#send = send;
  }

  start(request: Request): Promise<Response> {
    if (this.#running) return Promise.reject(new Error('next() was called twice in one (request, next) middleware'));
    return new Promise<Response>((resolve, reject) => {
      const send: Send = async (event) => {
        if (this.#discarded) return;
        if (event.type === 'http.response.early_hint') return this.#send(event);
        if (event.type === 'http.response.start' && this.response === undefined) {
          this.response = new RelayedResponse(event.status, event.headers ?? [], this.#events);
          resolve(this.response);
          return;
        }
        await new Promise<void>((delivered) => this.#events.push({ event, delivered }));
      };
      const receive = request.receive;
      // Once discarded, the inner app is told the client left, even in a receive() already waiting.
      const discarded = new Promise<{ type: 'http.disconnect' }>((wake) => (this.#wakeDiscarded = wake));
      const interrupt = new Interrupt(discarded);
      const guardedReceive: Receive = () => (this.#discarded ? discarded : interrupt.race(receive()));
      this.#running = this.#app(request.scope as HttpScope, guardedReceive, send).then(
        () => {
          this.#events.push({ end: true });
          reject(new Error('the app inside the middleware returned without starting a response'));
        },
        (error: unknown) => {
          // Before the start, next() rejects with it; after, whoever relays the body throws it.
          if (this.response !== undefined && this.#discarded) this.#lateFailure = { error };
          this.#events.push({ end: true, failure: { error } });
          reject(error);
        },
      );
    });
  }

  /** The middleware answered with another response: the inner app sees a disconnect, its output is dropped. */
  discard(): void {
    this.#discarded = true;
    this.#wakeDiscarded?.({ type: 'http.disconnect' });
    for (let queued = this.#events.size; queued > 0; queued--) {
      void this.#events.shift().then((relayed) => {
        if ('delivered' in relayed) relayed.delivered();
        else if (relayed.failure && this.response !== undefined) this.#lateFailure = relayed.failure;
      });
    }
  }

  /** Wait for the inner app to return; re-throw an error of it that nobody else has seen. */
  async finished(): Promise<void> {
    await this.#running;
    if (this.#lateFailure) throw this.#lateFailure.error;
  }
}

/** The response next() resolves with: status and headers are the inner app's, editable; the body is relayed. */
class RelayedResponse extends Response {
  readonly #events: AsyncQueue<Relayed>;

  constructor(status: number, headers: NonNullable<Extract<SendEvent, { type: 'http.response.start' }>['headers']>, events: AsyncQueue<Relayed>) {
    super(undefined, { status, headers });
    this.#events = events;
  }

  protected override initHeaders(given: HeaderList): HeaderList {
    return given; // the inner app's headers are complete as they are
  }

  protected override async sendResponse(_scope: HttpScope, _receive: Receive, send: Send): Promise<void> {
    await send({ type: 'http.response.start', status: this.status, headers: this.headers.raw });
    for (;;) {
      const relayed = await this.#events.shift();
      if ('end' in relayed) {
        if (relayed.failure) throw relayed.failure.error;
        return;
      }
      await send(relayed.event);
      relayed.delivered();
    }
  }
}
