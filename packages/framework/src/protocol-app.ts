import type { Receive, Scope, Send } from '@portico/protocol';

/** Instances are callable as a protocol app: `instance(scope, receive, send)`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the constructor below returns a function, so the call signature is real
export interface ProtocolApp {
  (scope: Scope, receive: Receive, send: Send): Promise<void>;
}

/**
 * Base of the classes whose instances ARE protocol apps (App, Router, every Response), so they
 * can be handed to any host or awaited by middleware like Starlette's `await response(scope,
 * receive, send)`. JavaScript instances are not callable, so the constructor returns an arrow
 * function that carries the subclass prototype; fields and `#private` members of subclasses are
 * installed on that function as usual.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export abstract class ProtocolApp {
  constructor() {
    const app = ((scope: Scope, receive: Receive, send: Send) => app.handle(scope, receive, send)) as ProtocolApp;
    return Object.setPrototypeOf(app, new.target.prototype) as ProtocolApp;
  }

  /** Serve one scope; calling the instance calls this. */
  abstract handle(scope: Scope, receive: Receive, send: Send): Promise<void>;
}
