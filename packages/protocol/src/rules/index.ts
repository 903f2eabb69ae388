import type { Scope } from '../types';
import { HttpCycleRules } from './http';
import { LifespanCycleRules } from './lifespan';
import { WebSocketCycleRules } from './websocket';

export { HttpCycleRules, type HttpResponsePhase } from './http';
export { WebSocketCycleRules, type WebSocketPhase } from './websocket';
export { LifespanCycleRules, type LifespanPhase } from './lifespan';

/** The common face of the three rule machines, for code that handles any scope type. */
export interface CycleRules {
  received(event: { type: string }): void;
  sent(event: { type: string }): void;
  returned(): void;
}

export function rulesFor(scope: Scope): CycleRules {
  switch (scope.type) {
    case 'http':
      return new HttpCycleRules(scope.extensions) as CycleRules;
    case 'websocket':
      return new WebSocketCycleRules(scope.extensions) as CycleRules;
    case 'lifespan':
      return new LifespanCycleRules() as CycleRules;
  }
}
