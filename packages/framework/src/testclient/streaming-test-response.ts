import type { HeaderList } from '@portico/protocol';
import { Headers } from '../datastructures';
import type { CycleResult, ResponseSink } from './http-cycle';

interface Chunk {
  bytes: Uint8Array;
  taken: () => void;
}

/**
 * The channel between a cycle and a streaming read: each chunk the app sends waits here until the
 * reader takes it, so the app's `send` settles only then, as with a client reading from a socket.
 */
export class ResponseChannel implements ResponseSink {
  readonly #queue: Chunk[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;
  #closed = false;
  #start: { status: number; headers: HeaderList } | undefined;
  #open!: { resolve(start: { status: number; headers: HeaderList }): void; reject(error: unknown): void };
  /** Settles when the app starts its response, or rejects with what it threw before that. */
  readonly opened: Promise<{ status: number; headers: HeaderList }>;

  constructor() {
    this.opened = new Promise((resolve, reject) => (this.#open = { resolve, reject }));
  }

  started(status: number, headers: HeaderList): void {
    this.#start = { status, headers };
    this.#open.resolve(this.#start);
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((taken) => {
      this.#queue.push({ bytes, taken });
      this.#signal();
    });
  }

  /** The app finished: `result` when it answered without starting (a 500), `error` when it failed. */
  end(outcome: { result: CycleResult } | { error: unknown }): void {
    if ('error' in outcome) {
      this.#error = outcome.error;
      if (this.#start === undefined) this.#open.reject(outcome.error);
    } else if (this.#start === undefined) {
      this.started(outcome.result.status, outcome.result.headers);
      if (outcome.result.body.length > 0) void this.write(outcome.result.body);
    }
    this.#ended = true;
    this.#signal();
  }

  /** The next chunk, or undefined at the end; throws what the app threw after starting. */
  async next(): Promise<Uint8Array | undefined> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk !== undefined) {
        chunk.taken();
        return chunk.bytes;
      }
      if (this.#closed) return undefined;
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return undefined;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Stop reading: what is queued is let go (its sends settle) and later writes settle at once. */
  close(): void {
    this.#closed = true;
    for (const chunk of this.#queue.splice(0)) chunk.taken();
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

const decoder = new TextDecoder();

/**
 * A response read as it arrives (`client.stream(method, path)`): status and headers once the app
 * started it, then the body chunk by chunk. Each chunk is handed over when read, so an app that
 * sends faster than the test reads waits, as with a real client; a test that stops reading is a
 * client that stopped reading. `close()` is the client leaving: the app sees `http.disconnect`.
 *
 * @example
 * const response = await client.stream('GET', '/events');
 * for await (const text of response.iterText()) {
 *   if (text.includes('done')) break;
 * }
 * response.close(); // the client leaves
 */
export class StreamingTestResponse implements AsyncIterable<Uint8Array> {
  readonly status: number;
  readonly headers: Headers;
  /** The URL that answered. */
  readonly url: string;
  readonly #channel: ResponseChannel;
  readonly #leave: () => void;

  /** @internal Built by `TestClient.stream()`. */
  constructor(init: { status: number; headers: HeaderList; url: string; channel: ResponseChannel; leave: () => void }) {
    this.status = init.status;
    this.headers = new Headers(init.headers);
    this.url = init.url;
    this.#channel = init.channel;
    this.#leave = init.leave;
  }

  /** The next body chunk, or undefined when the body ended; rejects with what the app threw midway. */
  read(): Promise<Uint8Array | undefined> {
    return this.#channel.next();
  }

  async *iterBytes(): AsyncGenerator<Uint8Array, void, undefined> {
    for (let chunk = await this.read(); chunk !== undefined; chunk = await this.read()) yield chunk;
  }

  /** The body as text, chunk by chunk (a character split across chunks is kept whole). */
  async *iterText(): AsyncGenerator<string, void, undefined> {
    const streaming = new TextDecoder();
    for await (const chunk of this.iterBytes()) {
      const text = streaming.decode(chunk, { stream: true });
      if (text !== '') yield text;
    }
    const rest = streaming.decode();
    if (rest !== '') yield rest;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.iterBytes();
  }

  /** The rest of the body as text, once the app has finished it. */
  async text(): Promise<string> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.iterBytes()) chunks.push(chunk);
    return decoder.decode(Buffer.concat(chunks));
  }

  /** The client leaves: the app's receive yields `http.disconnect` and its pending sends settle. */
  close(): void {
    this.#channel.close();
    this.#leave();
  }
}
