import type { Server as NetServer, Socket } from 'node:net';

/** RFC 9113 3.4: the first bytes of every HTTP/2 connection; on cleartext (h2c with prior knowledge) nothing comes before them. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/**
 * Takes `server`'s own connection handling (its listeners on `event`: 'connection', or
 * 'secureConnection' on a TLS server) out of the event, so that `route` decides per socket
 * whether it runs (`own(socket)`) or another server gets the socket.
 */
export function interceptConnections(
  server: NetServer,
  route: (socket: Socket, own: (socket: Socket) => void) => void,
  event: 'connection' | 'secureConnection' = 'connection',
): void {
  const listeners = server.listeners(event);
  server.removeAllListeners(event);
  const own = (socket: Socket): void => {
    for (const listener of listeners) Reflect.apply(listener, server, [socket]);
  };
  server.on(event, (socket: Socket) => route(socket, own));
}

/**
 * Reads a new cleartext connection's first bytes until they either are the HTTP/2 preface or
 * cannot be (an HTTP/1.1 request line differs within its first four), puts them back, and calls
 * `decided` with the answer; the socket is then the caller's, unread. A connection that closes or
 * stays silent for `timeoutMs` first is destroyed, and `decided` never called.
 */
export function sniffPreface(socket: Socket, timeoutMs: number, decided: (http2: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const done = (): void => {
    socket.off('readable', onReadable);
    socket.off('error', onError);
    socket.off('end', onEnd);
    socket.off('timeout', onTimeout);
    socket.setTimeout(0);
  };
  const onReadable = (): void => {
    let chunk: Buffer | null;
    while ((chunk = socket.read()) !== null) seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const length = Math.min(seen.length, PREFACE.length);
    const http2 = PREFACE.compare(seen, 0, length, 0, length) === 0;
    if (http2 && length < PREFACE.length) return;
    done();
    socket.unshift(seen);
    decided(http2);
  };
  // Before a protocol owns the socket, its errors and silences are nobody else's to report.
  const onError = (): void => {
    done();
    socket.destroy();
  };
  const onEnd = onError;
  const onTimeout = onError;
  socket.on('readable', onReadable);
  socket.on('error', onError);
  socket.on('end', onEnd);
  socket.on('timeout', onTimeout);
  socket.setTimeout(timeoutMs);
}
