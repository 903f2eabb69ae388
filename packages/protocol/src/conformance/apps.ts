/**
 * Small protocol apps the conformance suite serves. Each speaks the raw protocol, so a host is
 * judged on what it does with events, not on any framework.
 */
import type { HeaderList, HttpReceive, HttpScope, HttpSend } from '../types';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const text = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Read the whole request body; the conformance apps are small, so buffering is fine here. */
export async function readBody(receive: HttpReceive): Promise<{ body: Uint8Array; events: number }> {
  const chunks: Uint8Array[] = [];
  let events = 0;
  for (;;) {
    const event = await receive();
    if (event.type === 'http.disconnect') throw new Error('client disconnected while the body was read');
    events += 1;
    chunks.push(event.body);
    if (!event.moreBody) break;
  }
  return { body: Buffer.concat(chunks), events };
}

export async function respond(send: HttpSend, status: number, body: string | Uint8Array, headers: HeaderList = []): Promise<void> {
  const bytes = typeof body === 'string' ? utf8(body) : body;
  await send({ type: 'http.response.start', status, headers: [['content-length', String(bytes.length)], ...headers] });
  await send({ type: 'http.response.body', body: bytes });
}

export async function respondJson(send: HttpSend, value: unknown, status = 200): Promise<void> {
  await respond(send, status, JSON.stringify(value), [['content-type', 'application/json']]);
}

/** A handler for the http scopes of the shared host; tests swap it per test. */
export type HttpHandler = (scope: HttpScope, receive: HttpReceive, send: HttpSend) => Promise<void>;

/** A promise with its resolve function, for apps that report to the test what they saw. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
