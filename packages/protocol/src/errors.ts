/**
 * Every rule of the protocol that a guard or host enforces, by id. SPEC.md uses the same ids,
 * so an error message leads straight to the paragraph that explains it.
 */
export const RULES = {
  'scope.shape': 'the scope a host built does not match the spec',
  'event.unknown-type': 'an event type that does not belong to this scope type',
  'event.shape': 'an event whose keys or value types do not match the spec',
  'app.send-after-return': 'send called after the application returned',
  'http.request-after-end': 'the host sent http.request after moreBody: false or http.disconnect',
  'http.start-twice': 'http.response.start sent more than once',
  'http.body-before-start': 'http.response.body sent before http.response.start',
  'http.body-after-end': 'response events sent after the body ended (moreBody: false)',
  'http.trailers-not-announced': 'http.response.trailers sent without trailers: true in http.response.start',
  'http.trailers-before-body-end': 'http.response.trailers sent before the body ended',
  'http.early-hint-after-start': 'http.response.early_hint sent after http.response.start',
  'http.extension-missing': 'an extension event sent to a host that does not list it in scope.extensions',
  'http.incomplete-response': 'the application returned before the response was complete',
  'websocket.connect-first': 'the host sent a websocket event before websocket.connect',
  'websocket.event-after-disconnect': 'the host sent an event after websocket.disconnect',
  'websocket.send-before-accept': 'websocket.send sent before websocket.accept',
  'websocket.accept-twice': 'websocket.accept sent more than once',
  'websocket.send-after-close': 'an event sent after websocket.close or the end of a denial response',
  'websocket.denial-after-accept': 'a denial response started after websocket.accept',
  'websocket.denial-in-progress': 'an event other than websocket.http.response.body sent during a denial response',
  'websocket.no-handshake': 'the application returned without accepting, closing or denying the connection',
  'lifespan.out-of-order': 'a lifespan event that does not answer the event received',
} as const;

export type RuleId = keyof typeof RULES;

/** Thrown when an application or a host breaks a rule of the protocol; `rule` names which. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly rule: RuleId,
    detail: string,
  ) {
    super(`${detail} (protocol rule '${rule}': ${RULES[rule]}; see @portico/protocol SPEC.md)`);
  }
}
