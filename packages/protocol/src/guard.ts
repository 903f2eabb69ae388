import type { z } from 'zod';
import { ProtocolError } from './errors';
import { rulesFor } from './rules';
import { eventSchemas, ScopeSchema } from './schemas';
import type { App, Receive, ReceiveEvent, Scope, Send, SendEvent } from './types';

export interface GuardOptions {
  /** Called with every broken rule, before it is thrown (to log it, or to collect it in a test). */
  onViolation?: (error: ProtocolError) => void;
}

/**
 * Wrap an app so that every broken protocol rule, by the app (through `send`, or by returning
 * early) or by the host (through `receive`, or in the scope), throws a `ProtocolError` naming
 * the rule. Validates shapes with zod, so use it in development and tests; an unguarded app
 * pays nothing.
 *
 * @example
 * serve(guard(app)); // in development
 */
export function guard(app: App, options: GuardOptions = {}): App {
  return async function guarded(scope: Scope, receive: Receive, send: Send): Promise<void> {
    let violation: ProtocolError | undefined;
    const fail = (error: ProtocolError): never => {
      violation ??= error;
      options.onViolation?.(error);
      throw error;
    };

    const scopeCheck = ScopeSchema.safeParse(scope);
    if (!scopeCheck.success) fail(new ProtocolError('scope.shape', `the host built an invalid scope: ${describe(scopeCheck.error)}`));
    const schemas = eventSchemas[scope.type];
    const rules = rulesFor(scope);
    let returned = false;

    const checkShape = (event: unknown, direction: 'receive' | 'send', where: string): void => {
      const schema: z.ZodType = schemas[direction];
      const type = (event as { type?: unknown } | null)?.type;
      if (typeof type !== 'string') fail(new ProtocolError('event.shape', `${where} an event without a string 'type'`));
      const parsed = schema.safeParse(event);
      if (parsed.success) return;
      if (!eventTypes[scope.type][direction].has(type as string)) {
        fail(new ProtocolError('event.unknown-type', `${where} '${String(type)}', which is not a ${direction} event of a ${scope.type} scope`));
      }
      fail(new ProtocolError('event.shape', `${where} a malformed '${String(type)}' event: ${describe(parsed.error)}`));
    };

    const guardedReceive = async (): Promise<ReceiveEvent> => {
      const event = await receive();
      checkShape(event, 'receive', 'receive yielded');
      try {
        rules.received(event);
      } catch (error) {
        fail(error as ProtocolError);
      }
      return event;
    };

    const guardedSend = async (event: SendEvent): Promise<void> => {
      if (returned) fail(new ProtocolError('app.send-after-return', `send('${event.type}') was called after the application returned`));
      checkShape(event, 'send', 'send got');
      try {
        rules.sent(event);
      } catch (error) {
        fail(error as ProtocolError);
      }
      await send(event);
    };

    try {
      await app(scope, guardedReceive, guardedSend);
    } catch (error) {
      returned = true;
      throw violation ?? error;
    }
    returned = true;
    // The app may have caught the ProtocolError we threw; the broken rule still surfaces.
    if (violation) throw violation;
    try {
      rules.returned();
    } catch (error) {
      fail(error as ProtocolError);
    }
  };
}

/** The event types of each scope type, by direction, to tell an unknown type from a bad shape. */
const eventTypes: Record<Scope['type'], Record<'receive' | 'send', ReadonlySet<string>>> = {
  http: {
    receive: new Set(['http.request', 'http.disconnect']),
    send: new Set(['http.response.start', 'http.response.body', 'http.response.trailers', 'http.response.pathsend', 'http.response.early_hint']),
  },
  websocket: {
    receive: new Set(['websocket.connect', 'websocket.receive', 'websocket.disconnect']),
    send: new Set(['websocket.accept', 'websocket.send', 'websocket.close', 'websocket.http.response.start', 'websocket.http.response.body']),
  },
  lifespan: {
    receive: new Set(['lifespan.startup', 'lifespan.shutdown']),
    send: new Set(['lifespan.startup.complete', 'lifespan.startup.failed', 'lifespan.shutdown.complete', 'lifespan.shutdown.failed']),
  },
};

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(event)'}: ${issue.message}`).join('; ');
}
