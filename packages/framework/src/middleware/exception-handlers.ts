import type { App as GatewayApp, HttpReceive, HttpScope, Receive, Scope, Send } from '@portico/protocol';
import { describeValue, isOptionsObject } from '../arguments';
import { ClientDisconnect, HTTPException } from '../exceptions';
import { Request } from '../requests';
import { Response } from '../responses/response';
import { PlainTextResponse } from '../responses/text';
import { serverErrorResponse } from './error-page';

/** Turns an error into a response. Handlers keyed by status code get the HTTPException. */
export type ExceptionHandler<E = HTTPException> = (request: Request, error: E) => Response | Promise<Response>;

/** A class of errors, as a key of the exception handler Map. */
export type ErrorClass = abstract new (...args: never[]) => unknown;

/**
 * `{ 404: handler }`, or a Map keyed by status code or error class. An error a handler did not
 * expect reaches the `500` handler as `HTTPException(500)` with the error as `cause`.
 */
export type ExceptionHandlers = Record<number, ExceptionHandler> | Map<number | ErrorClass, ExceptionHandler<never>>;

/** The handlers of an App, normalised once. */
export class ExceptionHandlerTable {
  readonly #byStatus = new Map<number, ExceptionHandler>();
  readonly #byClass = new Map<unknown, ExceptionHandler<unknown>>();
  readonly debug: boolean;

  constructor(handlers: ExceptionHandlers | undefined, debug: boolean) {
    this.debug = debug;
    if (handlers !== undefined && !(handlers instanceof Map) && !isOptionsObject(handlers)) {
      throw new TypeError(`exceptionHandlers takes { [status]: handler } or a Map keyed by status code or error class, got ${describeValue(handlers)}`);
    }
    const entries = handlers instanceof Map ? handlers.entries() : Object.entries(handlers ?? {}).map(([status, handler]) => [Number(status), handler] as const);
    for (const [key, handler] of entries) {
      if (typeof handler !== 'function') {
        const label = typeof key === 'number' ? `exceptionHandlers[${key}]` : `the exceptionHandlers entry for ${describeValue(key)}`;
        throw new TypeError(`${label} takes a function (request, error) => Response, got ${describeValue(handler)}`);
      }
      if (typeof key !== 'number' && typeof key !== 'function') throw new TypeError(`exception handler key ${describeValue(key)} is not an HTTP status code or an error class`);
      if (typeof key === 'number') {
        if (!Number.isInteger(key) || key < 100 || key > 599) throw new TypeError(`exception handler key ${key} is not an HTTP status code`);
        this.#byStatus.set(key, handler as ExceptionHandler);
      } else this.#byClass.set(key, handler as ExceptionHandler<unknown>);
    }
  }

  /**
   * The response for an error, and whether it was unexpected (a 500 the host should log):
   * handler by status (HTTPException), by class (nearest in the prototype chain), 500 handler, default.
   */
  async respond(request: Request, error: unknown): Promise<{ response: Response; unexpected: boolean }> {
    if (error instanceof HTTPException) {
      const handler = this.#byStatus.get(error.statusCode) ?? this.#classHandler(error);
      return { response: await checked(handler ? handler(request, error) : httpExceptionResponse(error)), unexpected: false };
    }
    const byClass = this.#classHandler(error);
    if (byClass) return { response: await checked(byClass(request, error)), unexpected: false };
    return { response: await this.serverError(request, error), unexpected: true };
  }

  /** The 500 response for an unexpected error: the 500 handler's, or the (debug) error page. */
  async serverError(request: Request, error: unknown): Promise<Response> {
    const handler = this.#byStatus.get(500);
    if (handler) return checked(handler(request, new HTTPException(500, undefined, undefined, { cause: error })));
    return serverErrorResponse(request.scope as HttpScope, error, this.debug);
  }

  #classHandler(error: unknown): ExceptionHandler<unknown> | undefined {
    if (this.#byClass.size === 0 || typeof error !== 'object' || error === null) return undefined;
    for (let proto: unknown = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const handler = this.#byClass.get((proto as { constructor: unknown }).constructor);
      if (handler) return handler;
    }
    return undefined;
  }
}

function httpExceptionResponse(error: HTTPException): Response {
  if (error.statusCode === 204 || error.statusCode === 304) return new Response(null, { status: error.statusCode, headers: error.headers });
  return new PlainTextResponse(error.detail, { status: error.statusCode, headers: error.headers });
}

async function checked(response: Response | Promise<Response>): Promise<Response> {
  const value: unknown = await response;
  if (!(value instanceof Response)) throw new TypeError('an exception handler returned something that is not a Response');
  return value;
}

/** What an error layer does with what the app under it threw; `tracker` knows whether a response started. */
type OnError = (error: unknown, scope: HttpScope, receive: Receive, send: Send, tracker: StartTracker) => Promise<void>;

/** An app around `app` that hands what it throws for an http scope to `onError`. */
function errorLayer(app: GatewayApp, onError: OnError): GatewayApp {
  // Not async: one rejection handler per request costs less than an async frame around the app.
  return function errorLayer(scope, receive, send) {
    if (scope.type !== 'http') return callApp(app, scope, receive, send);
    // The tracker is built only for an error; until then `started` lives in this closure's context.
    let started = false;
    const tracked: Send = (event) => {
      if (event.type === 'http.response.start') started = true;
      return send(event);
    };
    return callApp(app, scope, receive, tracked).then(undefined, (error: unknown) =>
      onError(error, scope, receive, send, {
        get started() {
          return started;
        },
        send: tracked,
      }),
    );
  };
}

/** The app's promise; what it throws becomes a rejection, as an async app's would. */
function callApp(app: GatewayApp, scope: Scope, receive: Receive, send: Send): Promise<void> {
  try {
    return app(scope, receive, send);
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/**
 * The inner error layer, just around the router: what a handler throws becomes its response
 * here, inside the user middleware (so CORS and the like still apply to errors). An unexpected
 * error is re-thrown after its 500 is sent, so the host can log it.
 */
export function exceptionLayer(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, async (error, scope, receive, send, tracker) => {
    if (tracker.started) throw error;
    if (error instanceof ClientDisconnect) return; // nobody is left to answer
    await answer(scope, receive, send, table, error);
  });
}

/**
 * The outermost layer: a last resort for what middleware itself throws. If no response has
 * started it answers like the inner layer (an HTTPException gets its status, an unexpected error
 * a 500) but outside the user middleware; an unexpected error is re-thrown for the host to log.
 */
export function serverErrorLayer(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, async (error, scope, receive, send, tracker) => {
    if (tracker.started || error instanceof ClientDisconnect) throw error;
    await lastResort(scope, receive, send, table, error);
  });
}

/**
 * `serverErrorLayer(exceptionLayer(app))` with nothing in between (an App without middleware):
 * the same answers, with one tracker and one async frame per request instead of two.
 */
export function errorLayers(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, async (error, scope, receive, send, tracker) => {
    if (tracker.started) throw error;
    if (error instanceof ClientDisconnect) return;
    try {
      await answer(scope, receive, tracker.send, table, error);
    } catch (failure) {
      // What the outer layer does with what the inner one threw.
      if (tracker.started || failure instanceof ClientDisconnect) throw failure;
      await lastResort(scope, receive, send, table, failure);
    }
  });
}

/** The inner layer's answer to an error; re-throws an unexpected one after its 500 is sent. */
async function answer(scope: HttpScope, receive: Receive, send: Send, table: ExceptionHandlerTable, error: unknown): Promise<void> {
  const { response, unexpected } = await table.respond(new Request(scope, receive as HttpReceive), error);
  await response.handle(scope, receive, send);
  if (unexpected) throw error;
}

/** The outer layer's answer: as the inner one, and a bare 500 when the exception handler itself fails. */
async function lastResort(scope: HttpScope, receive: Receive, send: Send, table: ExceptionHandlerTable, error: unknown): Promise<void> {
  let found: { response: Response; unexpected: boolean };
  try {
    found = await table.respond(new Request(scope, receive as HttpReceive), error);
  } catch {
    found = { response: serverErrorResponse(scope, error, table.debug), unexpected: true };
  }
  await found.response.handle(scope, receive, send);
  if (found.unexpected) throw error;
}

/** Whether `http.response.start` went through the layer, and the send that watches for it. */
interface StartTracker {
  readonly started: boolean;
  readonly send: Send;
}
