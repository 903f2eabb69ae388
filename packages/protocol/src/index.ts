export * from './types';
export { channels } from './channels';
export * from './schemas';
export { ProtocolError, RULES, type RuleId } from './errors';
export { guard, type GuardOptions } from './guard';
export { AppHarness, HarnessTimeoutError } from './harness';
export { gatewayInfo, httpScope, websocketScope, lifespanScope } from './scopes';
export { AsyncQueue } from './async-queue';
export {
  rulesFor,
  HttpCycleRules,
  WebSocketCycleRules,
  LifespanCycleRules,
  type CycleRules,
  type HttpResponsePhase,
  type WebSocketPhase,
  type LifespanPhase,
} from './rules';
