import type { HttpScope } from '@portico/protocol';
import { describeValue, isOptionsObject } from '../arguments';
import { HTTPException } from '../exceptions';
import type { Request } from '../requests';
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
