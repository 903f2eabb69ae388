/**
 * The App's two error layers, named by what they catch: `handlerErrorLayer` just around the
 * router (what a handler throws becomes its response, inside the user middleware) and
 * `middlewareErrorLayer` outermost (what the user middleware throws). Each is one `ErrorPolicy`
 * run by the same `errorLayer`; an App without middleware runs both policies in one layer.
 */
import { channels, type App as GatewayApp, type HttpReceive, type HttpScope, type Receive, type Scope, type Send } from '@portico/protocol';
import { ClientDisconnect } from '../exceptions';
import { Request } from '../requests';
import { serverErrorResponse } from './error-page';
import type { ExceptionHandlerTable } from './exception-handlers';
import type { Response } from '../responses/response';

/** Whether `http.response.start` went through the layer, and the send that watches for it. */
interface StartTracker {
  readonly started: boolean;
  readonly send: Send;
}

/** Where an error was caught: the request, and the layer's send (which tracks the start). */
interface Caught {
  readonly scope: HttpScope;
  readonly receive: HttpReceive;
  readonly tracker: StartTracker;
  readonly table: ExceptionHandlerTable;
}

/** How a layer answers an error; what it throws goes on to the layer outside it (or the host). */
type ErrorPolicy = (error: unknown, caught: Caught) => Promise<void>;

/**
 * What a handler (or the router: 404, 405) throws: answered by the exception handlers. After the
 * response started nothing can be answered, so the error goes on; a client that left needs no
 * answer. An unexpected error is re-thrown after its 500 is sent, so the host can log it.
 */
const handlerErrors: ErrorPolicy = async (error, { scope, receive, tracker, table }) => {
  if (tracker.started) throw error;
  if (error instanceof ClientDisconnect) return;
  const { response, unexpected } = await table.respond(new Request(scope, receive), error);
  await response.handle(scope, receive, tracker.send);
  if (unexpected) throw error;
};

/**
 * What the user middleware throws (or the handler layer let through): the last resort. Answered
 * like a handler's error, but outside the middleware, and with a bare 500 when the exception
 * handler itself fails; an unexpected error is re-thrown for the host to log.
 */
const middlewareErrors: ErrorPolicy = async (error, { scope, receive, tracker, table }) => {
  if (tracker.started || error instanceof ClientDisconnect) throw error;
  let found: { response: Response; unexpected: boolean };
  try {
    found = await table.respond(new Request(scope, receive), error);
  } catch {
    found = { response: serverErrorResponse(scope, error, table.debug), unexpected: true };
  }
  await found.response.handle(scope, receive, tracker.send);
  if (found.unexpected) throw error;
};

/** `middlewareErrorLayer(handlerErrorLayer(app))` when nothing sits between them: one policy after the other, one tracker. */
const handlerThenMiddlewareErrors: ErrorPolicy = (error, caught) => handlerErrors(error, caught).catch((failure: unknown) => middlewareErrors(failure, caught));

/** An app around `app` that hands what it throws for an http scope to `policy`. */
function errorLayer(app: GatewayApp, table: ExceptionHandlerTable, policy: ErrorPolicy): GatewayApp {
  // Not async: one rejection handler per request costs less than an async frame around the app.
  return function errorLayer(scope, receive, send) {
    if (scope.type !== 'http') return callApp(app, scope, receive, send);
    // The tracker is built only for an error; until then `started` lives in this closure's context.
    let started = false;
    const tracked: Send = (event) => {
      if (event.type === 'http.response.start') started = true;
      return send(event);
    };
    return callApp(app, scope, receive, tracked).then(undefined, (error: unknown) => {
      const tracker: StartTracker = {
        get started() {
          return started;
        },
        send: tracked,
      };
      return policy(error, { scope, receive: channels(scope, receive, send).receive, tracker, table });
    });
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

/** The inner layer, just around the router: catches what handlers throw (see `handlerErrors`). */
export function handlerErrorLayer(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, table, handlerErrors);
}

/** The outermost layer: catches what the user middleware throws (see `middlewareErrors`). */
export function middlewareErrorLayer(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, table, middlewareErrors);
}

/**
 * Both layers as one, for an App without middleware: the same answers as
 * `middlewareErrorLayer(handlerErrorLayer(app))`, with one tracker and one frame per request.
 */
export function handlerAndMiddlewareErrorLayer(app: GatewayApp, table: ExceptionHandlerTable): GatewayApp {
  return errorLayer(app, table, handlerThenMiddlewareErrors);
}
