import type { Backend, BackendEvents } from './backend';

/** `memory://`: one process, no server. A message reaches the subscribers of this Broadcast only. */
export class MemoryBackend implements Backend {
  readonly #events: BackendEvents;

  constructor(events: BackendEvents) {
    this.#events = events;
  }

  async connect(): Promise<void> {}

  async disconnect(): Promise<void> {}

  async subscribe(): Promise<void> {}

  async unsubscribe(): Promise<void> {}

  async publish(channel: string, message: string): Promise<void> {
    this.#events.deliver(channel, message);
  }
}
