import type { HeaderList } from '@portico/protocol';
import type { HttpTransport, TransportListener } from '../cycle/transport';
import { BODY_BUFFER_SIZE } from '../cycle/body-buffer';
import { NO_CHUNK, RESOLVED } from '../cycle/settled';

/** Fetch's null body statuses: a `Response` with a body and one of these throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * One request of the fetch API: the `Request` body is read through its web stream reader, and the
 * `Response` is built at the response head with a `ReadableStream` body the runtime pulls from, so
 * `send` waits while the client reads slowly. `request.signal` aborting, or the runtime cancelling
 * the body, is the client leaving. Fetch has no interim responses and no trailers.
 */
export class FetchTransport implements HttpTransport {
  readonly declaredBodyLength: number | null;
  readonly parsedWhole = false;
  readonly expectsContinue = false;
  readonly #request: Request;
  readonly #respond: (response: Response) => void;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null;
  #bodyComplete: boolean;
  #listener: TransportListener | null = null;
  #gone = false;
  #responded = false;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #pulled: (() => void) | null = null;
  /** The response was cut while chunks were still queued: the stream errors once they are read. */
  #aborted = false;

  constructor(request: Request, respond: (response: Response) => void) {
    this.#request = request;
    this.#respond = respond;
    const length = request.headers.get('content-length');
    this.declaredBodyLength = length === null || !/^\d+$/.test(length) ? null : Number(length);
    this.#reader = request.body === null ? null : request.body.getReader();
    this.#bodyComplete = this.#reader === null;
    if (request.signal.aborted) this.#gone = true;
    else request.signal.addEventListener('abort', this.#leave, { once: true });
  }

  get bodyComplete(): boolean {
    return this.#bodyComplete;
  }

  get clientGone(): boolean {
    return this.#gone;
  }

  /** A `Response` was handed to the runtime. */
  get responded(): boolean {
    return this.#responded;
  }

  listen(listener: TransportListener): void {
    this.#listener = listener;
  }

  async readBody(): Promise<Uint8Array | null> {
    const reader = this.#reader;
    if (this.#gone || reader === null || this.#bodyComplete) return NO_CHUNK;
    try {
      const { done, value } = await reader.read();
      if (!done) return value;
      this.#bodyComplete = true;
    } catch {
      this.#leave(); // the body stream failed: the client is gone
    }
    return null;
  }

  sendContinue(): void {}

  sendEarlyHints(): Promise<void> {
    return RESOLVED;
  }

  writeHead(status: number, headers: HeaderList, bodyLength: number): void {
    if (this.#gone) return;
    const fields = new Headers();
    for (const [name, value] of headers) fields.append(name, value);
    if (bodyLength >= 0 && !fields.has('content-length')) fields.set('content-length', String(bodyLength));
    const noBody = NULL_BODY_STATUSES.has(status) || this.#request.method === 'HEAD';
    const body = noBody
      ? null
      : new ReadableStream<Uint8Array>(
          { start: this.#start, pull: this.#pull, cancel: this.#leave },
          { highWaterMark: BODY_BUFFER_SIZE, size: (chunk) => chunk.byteLength },
        );
    // Throws a RangeError for a status outside 200-599 (fetch has no 1xx responses): the app's send fails.
    const response = new Response(body, { status, headers: fields });
    this.#responded = true;
    this.#respond(response);
  }

  write(chunk: Uint8Array): Promise<void> {
    const controller = this.#controller;
    if (this.#gone || controller === null) return RESOLVED;
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) > 0) return RESOLVED;
    return new Promise((resolve) => (this.#pulled = resolve));
  }

  end(chunk: Uint8Array | null): void {
    const controller = this.#controller;
    if (this.#gone || controller === null) return;
    if (chunk !== null) controller.enqueue(chunk);
    controller.close();
  }

  /**
   * Error the body stream, once the runtime has read the chunks already queued: erroring the stream
   * at once would drop them (the stream's queue is reset), and the client would lose bytes it was
   * sent. The runtime then cuts the response short of its end.
   */
  abort(): void {
    this.#aborted = true;
    this.#errorWhenRead();
    this.#leave();
  }

  #errorWhenRead(): void {
    const controller = this.#controller;
    if (controller === null || (controller.desiredSize ?? 0) < BODY_BUFFER_SIZE) return;
    this.#aborted = false;
    controller.error(new Error('The app failed after the response started; the body is incomplete.'));
  }

  readonly #start = (controller: ReadableStreamDefaultController<Uint8Array>): void => {
    this.#controller = controller;
  };

  readonly #pull = (): void => {
    if (this.#aborted) this.#errorWhenRead();
    const pulled = this.#pulled;
    this.#pulled = null;
    pulled?.();
  };

  readonly #leave = (): void => {
    if (this.#gone) return;
    this.#gone = true;
    this.#request.signal.removeEventListener('abort', this.#leave);
    void this.#reader?.cancel().catch(() => undefined);
    this.#pull();
    this.#listener?.clientGone();
  };
}
