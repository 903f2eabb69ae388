import type { HeaderList, HttpScope, Receive, Send, WebSocketScope } from '@portico/protocol';
import { ClientDisconnect } from '../exceptions';
import { Interrupt } from '../interrupt';
import { isHead, Response, type ResponseInit } from './response';
import { formatEvent, type ServerSentEvent } from './sse-format';
import { checkIterable, DISCONNECTED, waitForDisconnect } from './streaming';

export interface EventSourceInit extends ResponseInit {
  /** Send a `: ping` comment after this many milliseconds without an event, so proxies keep the stream open. Default 15000; 0 or false: never. */
  pingInterval?: number | false | undefined;
  /**
   * Give up on a client that stopped reading: when one event is not taken by the transport within
   * this many milliseconds, stop the events and cut the connection (SendTimeoutError). Default 30000; 0 or false: wait forever.
   */
  sendTimeout?: number | false | undefined;
}

export type EventSource = AsyncIterable<ServerSentEvent> | Iterable<ServerSentEvent>;

/** A client took no event within `sendTimeout`: the event stream was stopped and the connection cut. */
export class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
  readonly timeout: number;

  constructor(timeout: number) {
    super(`the client took no data for ${timeout} ms (it stopped reading), so the event stream was stopped and its connection cut; raise sendTimeout if slow clients are expected`);
    this.timeout = timeout;
  }
}

const PING = Buffer.from(': ping\n\n');
const OPENING = new Uint8Array(0);
const PINGED = Symbol('ping');
const TIMED_OUT = Symbol('timed out');

/**
 * Server-sent events (`text/event-stream`): each event the iterable yields goes out as soon as it
 * is produced. A string is the data of a `message` event; an object sets `data` (JSON unless a
 * string), `event`, `id`, `retry` and `comment`. A `: ping` comment goes out when the stream is idle
 * (`pingInterval`). When the client leaves, or stops reading for `sendTimeout`, the iterator's
 * `return()` runs, so a generator's `finally` can release what it holds. Compression middleware
 * leaves event streams alone, so no event waits in a compressor.
 *
 * @example
 * app.get('/notes/events', (request) => {
 *   const since = Number(request.headers.get('last-event-id') ?? 0); // a reconnecting browser says where it was
 *   return new EventSourceResponse((async function* () {
 *     for await (const note of notesAfter(since)) yield { event: 'note', id: note.id, data: note };
 *   })());
 * });
 */
export class EventSourceResponse extends Response {
  static override defaultMediaType: string | undefined = 'text/event-stream';

  readonly #events: EventSource;
  readonly #pingInterval: number;
  readonly #sendTimeout: number;

  constructor(events: EventSource, init: EventSourceInit = {}) {
    super(undefined, init);
    this.#events = checkIterable(events, 'EventSourceResponse', 'events');
    this.#pingInterval = milliseconds(init.pingInterval, 15_000, 'pingInterval');
    this.#sendTimeout = milliseconds(init.sendTimeout, 30_000, 'sendTimeout');
  }

  protected override initHeaders(given: HeaderList): HeaderList {
    const headers = super.initHeaders(given, null);
    const names = new Set(headers.map(([name]) => name));
    // Caches and buffering proxies (nginx) would otherwise hold events back.
    if (!names.has('cache-control')) headers.push(['cache-control', 'no-cache']);
    if (!names.has('x-accel-buffering')) headers.push(['x-accel-buffering', 'no']);
    return headers;
  }

  protected override async sendResponse(scope: HttpScope | WebSocketScope, receive: Receive, send: Send): Promise<void> {
    await send({ type: 'http.response.start', status: this.status, headers: this.headers.raw });
    if (isHead(scope)) return this.#send(send, undefined, false);
    // An empty part: hosts send the head now, so the client's EventSource opens before the first event.
    await this.#send(send, OPENING, true);
    await this.#stream(receive, send);
    await this.#send(send, undefined, false);
  }

  /** Send events until the iterable ends or the client leaves. */
  async #stream(receive: Receive, send: Send): Promise<void> {
    const iterator = Symbol.asyncIterator in this.#events ? this.#events[Symbol.asyncIterator]() : this.#events[Symbol.iterator]();
    const stop = (): void => {
      // Not awaited: a generator blocked on its own await would hold the response open.
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    };
    const disconnected = new Interrupt(waitForDisconnect(receive));
    let pending: Promise<IteratorResult<ServerSentEvent>> | undefined;
    try {
      for (;;) {
        pending ??= Promise.resolve(iterator.next());
        let next: IteratorResult<ServerSentEvent> | typeof DISCONNECTED | typeof PINGED;
        // Cleared here, not inside a race: a client that leaves must not leave the ping timer behind.
        let ping: NodeJS.Timeout | undefined;
        const idle = this.#pingInterval === 0 ? pending : Promise.race([pending, new Promise<typeof PINGED>((resolve) => (ping = setTimeout(resolve, this.#pingInterval, PINGED)))]);
        try {
          next = await disconnected.race(idle);
        } catch (error) {
          if (error instanceof ClientDisconnect) return; // the iterable read the request body, and the client left
          throw error;
        } finally {
          clearTimeout(ping);
        }
        if (next === DISCONNECTED) {
          stop();
          return;
        }
        if (next === PINGED) {
          await this.#send(send, PING, true);
          continue;
        }
        pending = undefined;
        if (next.done === true) return;
        await this.#send(send, Buffer.from(formatEvent(next.value)), true);
      }
    } catch (error) {
      stop();
      throw error;
    }
  }

  /** One body event, given up on after `sendTimeout`. */
  async #send(send: Send, body: Uint8Array | undefined, moreBody: boolean): Promise<void> {
    const sending = send(body === undefined ? { type: 'http.response.body' } : { type: 'http.response.body', body, moreBody });
    if (this.#sendTimeout === 0) return sending;
    if ((await raceTimer(sending, this.#sendTimeout, TIMED_OUT)) === TIMED_OUT) throw new SendTimeoutError(this.#sendTimeout);
  }
}

/** `task`, or `value` if `ms` pass first; the timer is cleared either way. */
async function raceTimer<T, V>(task: Promise<T>, ms: number, value: V): Promise<T | V> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<V>((resolve) => (timer = setTimeout(resolve, ms, value)));
  try {
    return await Promise.race([task, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function milliseconds(value: number | false | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (value === false) return 0;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new TypeError(`EventSourceResponse ${name} is a number of milliseconds (0 or false to turn it off), got ${String(value)}`);
}
