import WebSocket from 'ws';

export interface Member {
  ws: WebSocket;
  /** The next message, parsed as JSON. */
  next(): Promise<unknown>;
}

/** A client in a room that queues what it receives, parsed as JSON. */
export async function member(origin: string, name: string, room = 'lobby'): Promise<Member> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/rooms/${room}?name=${name}`);
  const inbox: unknown[] = [];
  const waiting: Array<(value: unknown) => void> = [];
  ws.on('message', (data) => {
    const value: unknown = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(value);
    else inbox.push(value);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = (): Promise<unknown> => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return { ws, next };
}
