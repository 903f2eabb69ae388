/**
 * What a Broadcast needs from where messages travel. The Broadcast fans messages out to its own
 * subscribers, so a backend subscribes each channel once, however many local subscribers it has.
 */
export interface Backend {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves once messages published on `channel` from now on will be delivered. */
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
  /** Resolves once the message is on its way to every subscriber; rejects when it cannot be. */
  publish(channel: string, message: string): Promise<void>;
}

/** What a backend reports to its Broadcast. */
export interface BackendEvents {
  /** A message arrived on a subscribed channel. */
  deliver(channel: string, message: string): void;
  /** The connection was lost (once per outage); it is being re-established. */
  down(error: Error): void;
  /** The connection is back and the channels are subscribed again. */
  up(): void;
}
