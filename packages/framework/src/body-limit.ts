/**
 * The cap on request bodies read whole into memory (`body()`, `text()`, `json()`, urlencoded
 * `form()`). Streams (`request.stream()`, multipart files) are bounded by the server and the
 * upload limits instead, since they need not hold the body at once.
 */
import { constants } from 'node:buffer';
import type { TextDecoder } from 'node:util';
import { HTTPException } from './exceptions';

/** 1 MiB, as Fastify: enough for any JSON or form a browser posts, small enough that a flood cannot exhaust memory. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The request body is larger than the limit of a buffered read: answered with 413. Reading stops
 * at the first byte over the limit (or before reading, when Content-Length says so already).
 *
 * @example
 * try {
 *   await request.json({ limit: 64 * 1024 });
 * } catch (error) {
 *   if (error instanceof BodyTooLargeError) console.warn(`refused a body over ${error.limit} bytes`);
 *   throw error; // still a 413
 * }
 */
export class BodyTooLargeError extends HTTPException {
  override readonly name: string = 'BodyTooLargeError';
  /** The limit that was crossed, in bytes. */
  readonly limit: number;

  constructor(limit: number, detail = `The request body is larger than the limit of ${limit} bytes.`) {
    super(413, detail);
    this.limit = limit;
  }
}

/** A limit given by the user: a non-negative number of bytes, `Infinity` for none. */
export function checkBodyLimit(value: unknown, where: string): number {
  if (typeof value === 'number' && value >= 0 && (Number.isInteger(value) || value === Infinity)) return value;
  const got = typeof value === 'number' ? String(value) : typeof value;
  throw new TypeError(`${where} is a number of bytes (a non-negative integer, or Infinity for no limit), got ${got}`);
}

/**
 * Decode a body as UTF-8, telling apart the errors a decoder throws: bytes that are not UTF-8
 * (`invalid`, or replaced by U+FFFD when it is undefined) and a text longer than a JS string holds.
 */
export function decodeBody(decoder: TextDecoder, body: Uint8Array, limit: number, invalid?: () => never): string {
  try {
    return decoder.decode(body);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_ENCODING_INVALID_ENCODED_DATA' && invalid !== undefined) invalid();
    if (code === 'ERR_STRING_TOO_LONG' || body.length > constants.MAX_STRING_LENGTH) {
      throw new BodyTooLargeError(limit, `The request body (${body.length} bytes) is too large to decode as text.`);
    }
    throw error;
  }
}
