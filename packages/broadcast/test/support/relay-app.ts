import { App, WebSocketRoute, type WebSocket } from '@portico/framework';
import { Broadcast } from '@portico/broadcast';

export interface RelayApp {
  app: App;
  /** The app's Broadcast, once its lifespan started. */
  broadcast(): Broadcast;
  /** Settles when every WebSocket handler started so far has returned. */
  handlersDone(): Promise<void>;
}

/**
 * The README's pattern as an app: `/channels/:name` relays what a client sends to everyone on the
 * channel, in every process; the Broadcast is connected and disconnected by the lifespan. It sends
 * `ready` once subscribed, so a test knows when publishing reaches it.
 */
export function relayApp(url: string): RelayApp {
  let broadcast: Broadcast | null = null;
  const handlers: Promise<void>[] = [];

  async function relay(websocket: WebSocket<{ name: string }>): Promise<void> {
    const channel = websocket.pathParams.name;
    const shared = websocket.state['broadcast'] as Broadcast;
    await websocket.accept();
    const subscription = shared.subscribe(channel);
    await subscription.ready;
    const forwarding = (async () => {
      for await (const message of subscription) await websocket.sendText(message);
    })();
    await websocket.sendText('ready');
    try {
      for await (const text of websocket.iterText()) await shared.publish(channel, text);
    } finally {
      subscription.close();
      await forwarding;
    }
  }

  const app = new App({
    routes: [
      new WebSocketRoute('/channels/:name', (websocket: WebSocket<{ name: string }>) => {
        const handled = relay(websocket);
        handlers.push(handled.catch(() => undefined));
        return handled;
      }),
    ],
    lifespan: async () => {
      const connected = new Broadcast(url);
      await connected.connect();
      broadcast = connected;
      return { state: { broadcast: connected }, cleanup: () => connected.disconnect() };
    },
  });

  return {
    app,
    broadcast() {
      if (broadcast === null) throw new Error('relayApp: the lifespan has not started');
      return broadcast;
    },
    async handlersDone() {
      await Promise.all(handlers);
    },
  };
}
