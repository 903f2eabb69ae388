import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { App, HttpScope, Receive, Send, State } from '@portico/protocol';

type Message = { id?: number; kind: string; [key: string]: unknown };

const encode = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
  return value;
};
const decode = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    const bytes = (value as { $bytes?: unknown }).$bytes;
    if (typeof bytes === 'string') return new Uint8Array(Buffer.from(bytes, 'base64'));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item)]));
  }
  return value;
};

export interface Relay {
  /** The Unix socket `test/fixtures/cgi-relay.js` connects to (PORTICO_RELAY). */
  path: string;
  close(): Promise<void>;
}

/**
 * The test side of `test/fixtures/cgi-relay.js`: each CGI process connects with the scope the CGI
 * host built; `app` runs here with `receive`/`send` relayed to that process. The scope's state is
 * a copy of `state()` (the lifespan runs in the test process: under CGI each request is a process).
 */
export async function startRelay(app: App, state: () => State): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-relay-'));
  const path = join(dir, 'relay.sock');
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A CGI process that exited with its socket unread resets it; its request is over already.
    socket.on('error', () => undefined);
    let nextId = 0;
    const waiting = new Map<number, (message: Message) => void>();
    const write = (message: Message): void => void socket.write(`${JSON.stringify(encode(message))}\n`);
    const ask = (message: Message): Promise<Message> =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        write({ ...message, id });
      });
    const receive: Receive = async () => (await ask({ kind: 'receive' }))['event'] as Awaited<ReturnType<Receive>>;
    const send: Send = async (event) => {
      const answer = await ask({ kind: 'send', event });
      if (answer.kind === 'sendError') throw new Error(answer['message'] as string);
    };
    const lines = createInterface({ input: socket });
    lines.on('error', () => undefined); // readline re-emits the socket's errors
    lines.on('line', (line) => {
      const message = decode(JSON.parse(line)) as Message;
      if (message.kind === 'call') {
        const scope = { ...(message['scope'] as HttpScope), state: { ...state() } };
        app(scope, receive, send).then(
          () => write({ kind: 'return' }),
          (error: unknown) => write({ kind: 'throw', message: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      const resolve = waiting.get(message.id as number);
      waiting.delete(message.id as number);
      resolve?.(message);
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
