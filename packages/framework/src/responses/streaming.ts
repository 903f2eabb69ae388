import type { HeaderList, HttpScope, Receive, Send, WebSocketScope } from '@portico/protocol';
import { describeValue } from '../arguments';
import { ClientDisconnect } from '../exceptions';
import { Interrupt } from '../interrupt';
import { isHead, Response, type ResponseInit } from './response';

export type StreamContent = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export const DISCONNECTED = Symbol('disconnected');

/**
 * A response whose body is sent chunk by chunk as an iterable yields it (chunked transfer on
 * HTTP/1.1). When the client leaves, the iteration stops: the iterator's `return()` runs, so a
 * generator's `finally` can release what it holds. The iterable may be the request body itself
 * (`request.stream()`): a route hands the response `request.responseReceive`, whose disconnect
 * watch leaves the body events to the reader.
 *
 * @example
 * async function* ticks() { for (let i = 0; i < 3; i++) yield `tick ${i}\n`; }
 * return new StreamingResponse(ticks(), { mediaType: 'text/plain' });
 * // an echo, streamed both ways:
 * app.post('/echo', (request) => new StreamingResponse(request.stream()));
 */
export class StreamingResponse extends Response {
  readonly #content: StreamContent;

  constructor(content: StreamContent, init?: ResponseInit) {
    super(undefined, init);
    this.#content = checkIterable(content, 'new StreamingResponse(content)', 'chunks (strings or Uint8Arrays)');
  }

  protected override initHeaders(given: HeaderList): HeaderList {
    return super.initHeaders(given, null);
  }

  protected override async sendResponse(scope: HttpScope | WebSocketScope, receive: Receive, send: Send): Promise<void> {
    await send({ type: 'http.response.start', status: this.status, headers: this.headers.raw });
    if (!isHead(scope)) await this.#stream(receive, send);
    await send({ type: 'http.response.body' });
  }

  async #stream(receive: Receive, send: Send): Promise<void> {
    const iterator = Symbol.asyncIterator in this.#content ? this.#content[Symbol.asyncIterator]() : this.#content[Symbol.iterator]();
    const disconnected = new Interrupt(waitForDisconnect(receive));
    for (;;) {
      let next: IteratorResult<string | Uint8Array> | typeof DISCONNECTED;
      try {
        next = await disconnected.race(iterator.next());
      } catch (error) {
        if (error instanceof ClientDisconnect) return; // the iterable read the request body, and the client left
        throw error;
      }
      if (next === DISCONNECTED) {
        // Not awaited: a generator blocked on its own await would hold the response open.
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
        return;
      }
      if (next.done === true) return;
      const chunk = next.value;
      await send({ type: 'http.response.body', body: typeof chunk === 'string' ? Buffer.from(chunk) : chunk, moreBody: true });
    }
  }
}

/** An iterable or async iterable, checked when a streaming response is built; a generator function not yet called is named as such. */
export function checkIterable<T extends object>(given: T, where: string, of: string): T {
  const content: unknown = given;
  if (typeof content === 'object' && content !== null && (Symbol.asyncIterator in content || Symbol.iterator in content)) return given;
  const hint = typeof content === 'function' && /GeneratorFunction$/.test(content.constructor.name) ? ` (call it: ${content.name || 'generator'}())` : '';
  throw new TypeError(`${where} takes an async iterable or an iterable of ${of} (an async generator, say), got ${describeValue(content)}${hint}`);
}

/**
 * Resolves when the client leaves. Given a route's `request.responseReceive`, it sees no body
 * events; given a host's own receive, it drains them (nothing else may read them then).
 */
export async function waitForDisconnect(receive: Receive): Promise<typeof DISCONNECTED> {
  for (;;) {
    const event = await receive();
    // A denial response runs in a websocket scope, where the client leaves with websocket.disconnect.
    if (event.type === 'http.disconnect' || event.type === 'websocket.disconnect') return DISCONNECTED;
  }
}
