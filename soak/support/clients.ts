/** Raw TCP clients for the soak tests: the exact bytes, and leaving whenever a test says. */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Opens a TCP connection to the server at `url` (http://127.0.0.1:port). */
export async function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined); // a reset is what some tests expect; they look at 'close'
  await once(socket, 'connect');
  return socket;
}

/** Opens `count` sockets, `batch` at a time (a burst past the listen backlog would be dropped SYNs). */
export async function openSockets(url: string, count: number, batch = 100): Promise<Socket[]> {
  const sockets: Socket[] = [];
  while (sockets.length < count) {
    const size = Math.min(batch, count - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: size }, () => openSocket(url)))));
  }
  return sockets;
}

/** Resolves once `socket` has received `bytes` bytes (flowing mode); false when it closed first. */
export function receive(socket: Socket, bytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received < bytes) return;
      socket.off('data', onData);
      socket.pause();
      resolve(true);
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(false));
  });
}

/**
 * Polls `probe` every `everyMs` until `done` holds for its value or `timeoutMs` passed; resolves
 * with the last value and how long it took.
 */
export async function settle<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 250): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() - started > timeoutMs) return { value, ms: Date.now() - started };
    await sleep(everyMs);
  }
}

/**
 * Sends `request` on `socket` and resolves once one whole answer with a Content-Length arrived;
 * the socket stays open (keep-alive) and paused.
 */
export function exchange(socket: Socket, request: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no whole answer in ${timeoutMs} ms`)), timeoutMs);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.pause();
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen = Buffer.concat([seen, chunk]);
      const headEnd = seen.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = /^content-length:\s*(\d+)/im.exec(seen.subarray(0, headEnd).toString('latin1'))?.[1];
      if (length === undefined) finish(new Error('an answer without Content-Length'));
      else if (seen.length >= headEnd + 4 + Number(length)) finish();
    };
    const onClose = (): void => finish(new Error('the connection closed before the answer'));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(request);
  });
}
