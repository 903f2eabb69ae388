import type { Socket } from 'node:net';

/**
 * Bodies up to this size are copied behind their framing into one buffer: one `write`, one
 * packet. A larger body goes as its own buffer, corked with its framing into one `writev`.
 */
const COPY_LIMIT = 16 * 1024;

/** Bytes held for a response that may not write yet: latin1 framing strings and body chunks, in order. */
export type HeldBytes = Array<string | Uint8Array>;

/**
 * Write `body` between the latin1 strings `prefix` (a head, a chunk size) and `suffix` (a chunk's
 * CRLF, the last chunk) as one write. Returns `socket.write`'s answer: false once its buffer is full.
 */
export function writeFramed(socket: Socket, prefix: string, body: Uint8Array | null, suffix: string): boolean {
  if (body === null || body.length === 0) return socket.write(prefix + suffix, 'latin1');
  if (prefix.length + suffix.length === 0) return socket.write(body);
  if (body.length <= COPY_LIMIT) {
    const out = Buffer.allocUnsafe(prefix.length + body.length + suffix.length);
    out.write(prefix, 0, 'latin1');
    out.set(body, prefix.length);
    out.write(suffix, prefix.length + body.length, 'latin1');
    return socket.write(out);
  }
  socket.cork();
  if (prefix.length > 0) socket.write(prefix, 'latin1');
  let ok = socket.write(body);
  if (suffix.length > 0) ok = socket.write(suffix, 'latin1');
  socket.uncork();
  return ok;
}

/** Hold what `writeFramed` would write; returns the number of bytes held. */
export function holdFramed(held: HeldBytes, prefix: string, body: Uint8Array | null, suffix: string): number {
  if (prefix.length > 0) held.push(prefix);
  if (body !== null && body.length > 0) held.push(body);
  if (suffix.length > 0) held.push(suffix);
  return prefix.length + (body === null ? 0 : body.length) + suffix.length;
}

/** Write held bytes in one corked batch; returns `socket.write`'s last answer. */
export function writeHeld(socket: Socket, held: HeldBytes): boolean {
  let ok = true;
  socket.cork();
  for (const part of held) ok = typeof part === 'string' ? socket.write(part, 'latin1') : socket.write(part);
  socket.uncork();
  return ok;
}
