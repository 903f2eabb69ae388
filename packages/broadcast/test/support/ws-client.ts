import WebSocket from 'ws';

/** A `ws` client that queues what it receives, read in order with `next()`. */
export interface QueuedClient {
  readonly ws: WebSocket;
  next(): Promise<string>;
  /** The next `count` messages. */
  take(count: number): Promise<string[]>;
  /** Resolves with the close code once the connection is closed. */
  readonly closed: Promise<number>;
}

export async function connectClient(url: string): Promise<QueuedClient> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'));
  const inbox: string[] = [];
  const waiting: Array<(text: string) => void> = [];
  ws.on('message', (data) => {
    const text = String(data);
    const waiter = waiting.shift();
    if (waiter) waiter(text);
    else inbox.push(text);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', resolve));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = (): Promise<string> => (inbox.length > 0 ? Promise.resolve(inbox.shift()!) : new Promise((resolve) => waiting.push(resolve)));
  return {
    ws,
    next,
    async take(count) {
      const messages: string[] = [];
      while (messages.length < count) messages.push(await next());
      return messages;
    },
    closed,
  };
}
