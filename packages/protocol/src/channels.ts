import type { Receive, Scope, ScopeChannels, Send } from './types';

/**
 * The channels of a scope, typed by its `type`. `App` takes `Receive` and `Send` for every scope
 * type, since TypeScript cannot tie a parameter's type to a property of another; the contract
 * does (SPEC.md gives each scope type its own receive and send events), and this is where the
 * types say so. Narrow the result's `type`, or pass a scope already narrowed.
 *
 * @example
 * const app: App = async (scope, receive, send) => {
 *   const connection = channels(scope, receive, send);
 *   if (connection.type !== 'http') return;
 *   const event = await connection.receive(); // HttpReceiveEvent
 * };
 * // after `if (scope.type === 'http')`: channels(scope, receive, send).receive is an HttpReceive
 */
export function channels<S extends Scope>(scope: S, receive: Receive, send: Send): ScopeChannels[S['type']] {
  // The one place the contract is stated to the type checker; no runtime cost beyond the object.
  return { type: scope.type, scope, receive, send } as ScopeChannels[S['type']];
}
