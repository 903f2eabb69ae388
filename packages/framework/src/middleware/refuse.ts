import type { HttpScope, Receive, Send, WebSocketScope } from '@portico/protocol';
import type { Response } from '../responses/response';

/** The close code for a websocket handshake refused by policy (RFC 6455 §7.4.1). */
export const POLICY_VIOLATION = 1008;

/**
 * Refuse a connection with a response. An HTTP request gets the response. A websocket handshake
 * gets it as a denial response when the host offers `websocket.http.response`, and is otherwise
 * closed before it opens (code 1008; the client sees its upgrade refused).
 */
export async function refuse(scope: HttpScope | WebSocketScope, receive: Receive, send: Send, response: Response): Promise<void> {
  if (scope.type === 'websocket' && !('websocket.http.response' in scope.extensions)) {
    await send({ type: 'websocket.close', code: POLICY_VIOLATION });
    return;
  }
  await response.handle(scope, receive, send);
}
