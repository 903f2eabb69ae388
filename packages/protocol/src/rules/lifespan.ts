import { ProtocolError } from '../errors';
import type { LifespanReceiveEvent, LifespanSendEvent, SendEvent } from '../types';

/** `startup`/`shutdown`: that event was delivered and awaits its answer. */
export type LifespanPhase = 'idle' | 'startup' | 'running' | 'shutdown' | 'done';

/** The order rules of the lifespan scope; shared by the guard and the hosts. */
export class LifespanCycleRules {
  phase: LifespanPhase = 'idle';

  received(event: LifespanReceiveEvent): void {
    const type = (event as { type: string }).type;
    if (type === 'lifespan.startup' && this.phase === 'idle') this.phase = 'startup';
    else if (type === 'lifespan.shutdown' && (this.phase === 'running' || this.phase === 'idle')) this.phase = 'shutdown';
    else if (type === 'lifespan.startup' || type === 'lifespan.shutdown') {
      throw new ProtocolError('lifespan.out-of-order', `receive yielded '${type}' while the lifespan was in phase '${this.phase}'`);
    } else throw new ProtocolError('event.unknown-type', `receive yielded '${type}' in a lifespan scope`);
  }

  /** Check an event the app passes to `send`; returns it as a lifespan event. */
  sent(event: SendEvent): LifespanSendEvent {
    const { type } = event;
    switch (type) {
      case 'lifespan.startup.complete':
      case 'lifespan.startup.failed':
        if (this.phase !== 'startup') {
          throw new ProtocolError('lifespan.out-of-order', `${type} was sent but lifespan.startup is not awaiting an answer`);
        }
        this.phase = type === 'lifespan.startup.complete' ? 'running' : 'done';
        return event;
      case 'lifespan.shutdown.complete':
      case 'lifespan.shutdown.failed':
        if (this.phase !== 'shutdown') {
          throw new ProtocolError('lifespan.out-of-order', `${type} was sent but lifespan.shutdown is not awaiting an answer`);
        }
        this.phase = 'done';
        return event;
      default:
        throw new ProtocolError('event.unknown-type', `send got '${type}' in a lifespan scope`);
    }
  }

  returned(): void {
    // An app may return at any point of the lifespan: returning early means "lifespan unsupported".
  }
}
