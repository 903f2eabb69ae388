import { describe, expect, it } from '@jest/globals';
import { AppHarness, httpScope } from '@portico/protocol';
import { App, CompressionMiddleware, EventSourceResponse, Middleware, SendTimeoutError, TestClient, type EventSourceInit, type StreamingTestResponse, type ServerSentEvent } from '@portico/framework';

/** A generator that yields one event per `release()`, and tells how far it got and when its `finally` ran. */
class Feed {
  produced = 0;
  readonly finished: Promise<void>;
  #cleanedUp!: () => void;
  #permits = 0;
  #wake: (() => void) | undefined;

  constructor() {
    this.finished = new Promise<void>((resolve) => (this.#cleanedUp = resolve));
  }

  /** Let the generator make one more event (now, or when it next waits). */
  release(): void {
    this.#permits += 1;
    this.#wake?.();
  }

  async *events(gated = true): AsyncGenerator<ServerSentEvent> {
    try {
      for (;;) {
        this.produced += 1;
        yield { event: 'tick', id: this.produced, data: { n: this.produced } };
        if (gated) {
          while (this.#permits === 0) await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#permits -= 1;
        }
      }
    } finally {
      this.#cleanedUp();
    }
  }
}

function appFor(events: () => AsyncIterable<ServerSentEvent> | Iterable<ServerSentEvent>, init?: EventSourceInit, compressed = false): App {
  const middleware = compressed ? [new Middleware(CompressionMiddleware, { minimumSize: 1 })] : [];
  return new App({ middleware }).get('/events', () => new EventSourceResponse(events(), init));
}

/**
 * The client leaves; then the generator, waiting for its next event, gets one and stops at that
 * yield (an await in a generator cannot be interrupted, so return() takes effect at its next yield).
 */
async function leave(response: StreamingTestResponse, feed: Feed): Promise<void> {
  response.close();
  await new Promise((resolve) => setTimeout(resolve, 5)); // the disconnect reaches the response
  feed.release();
  await feed.finished;
}

const tick = (n: number): string => `event: tick\nid: ${n}\ndata: {"n":${n}}\n\n`;

describe('EventSourceResponse', () => {
  it('writes each field as the event-stream format says, with the headers that keep it flowing', async () => {
    const events: ServerSentEvent[] = [
      'hello',
      { event: 'note', id: 7, data: { title: 'Milk', tags: ['a'] } },
      { data: 'first line\nsecond\r\nthird\rfourth' },
      { comment: 'just a note', retry: 3000 },
      { data: null, id: '' },
      { data: '' },
    ];
    const response = await new TestClient(appFor(() => events)).get('/events');
    expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control'), response.headers.get('x-accel-buffering'), response.headers.has('content-length')]).toEqual([
      200,
      'text/event-stream; charset=utf-8',
      'no-cache',
      'no',
      false,
    ]);
    expect(response.text).toBe(
      'data: hello\n\n' +
        'event: note\nid: 7\ndata: {"title":"Milk","tags":["a"]}\n\n' +
        'data: first line\ndata: second\ndata: third\ndata: fourth\n\n' +
        ': just a note\nretry: 3000\n\n' +
        'id: \ndata: null\n\n' +
        'data: \n\n',
    );
  });

  it('refuses a line break in event or id, and what is not an event, saying what it takes', async () => {
    const cases: Array<[ServerSentEvent, string]> = [
      [{ event: 'a\nb', data: 1 }, 'an event\'s event must be one line (no CR or LF), got "a\\nb"'],
      [{ id: 'x\ry' }, 'an event\'s id must be one line (no CR or LF, no NUL), got "x\\ry"'],
      [{ retry: 1.5 }, "an event's retry is a whole number of milliseconds, got 1.5"],
      [{}, 'an event object needs at least one of data, event, id, retry or comment'],
      [42 as unknown as ServerSentEvent, 'an event is a string (its data) or an object { data, event, id, retry, comment }, got number 42'],
    ];
    for (const [event, message] of cases) {
      await expect(new TestClient(appFor(() => [event])).get('/events')).rejects.toThrow(new TypeError(message));
    }
    expect(() => new EventSourceResponse('not iterable events' as unknown as [])).toThrow(/takes an async iterable or an iterable of events .*, got string/);
    expect(() => new EventSourceResponse([], { pingInterval: -5 })).toThrow('EventSourceResponse pingInterval is a number of milliseconds (0 or false to turn it off), got -5');
  });

  it('sends each event as it is produced: the client reads one before the generator makes the next', async () => {
    const feed = new Feed();
    const client = new TestClient(appFor(() => feed.events()));
    const response = await client.stream('GET', '/events');
    expect(new TextDecoder().decode(await response.read())).toBe(tick(1));
    expect(feed.produced).toBe(1);
    feed.release();
    expect(new TextDecoder().decode(await response.read())).toBe(tick(2));
    expect(feed.produced).toBe(2);
    await leave(response, feed);
  });

  it('stops the generator when the client leaves, so its finally runs', async () => {
    const feed = new Feed();
    const response = await new TestClient(appFor(() => feed.events())).stream('GET', '/events');
    await response.read();
    await leave(response, feed);
    feed.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(feed.produced).toBe(2);
  });

  it('sends a ping comment while idle, and none when turned off', async () => {
    const feed = new Feed();
    const response = await new TestClient(appFor(() => feed.events(), { pingInterval: 20 })).stream('GET', '/events');
    expect(new TextDecoder().decode(await response.read())).toBe(tick(1));
    expect(new TextDecoder().decode(await response.read())).toBe(': ping\n\n');
    expect(new TextDecoder().decode(await response.read())).toBe(': ping\n\n');
    feed.release();
    expect(new TextDecoder().decode(await response.read())).toBe(tick(2));
    await leave(response, feed);

    const quiet = new Feed();
    const silent = await new TestClient(appFor(() => quiet.events(), { pingInterval: false })).stream('GET', '/events');
    await silent.read();
    const next = silent.read();
    const idle = await Promise.race([next.then(() => 'got data'), new Promise((resolve) => setTimeout(resolve, 60, 'nothing'))]);
    expect(idle).toBe('nothing');
    await leave(silent, quiet);
  });

  it('gives up on a client that stopped reading: the generator stops and the connection is cut with SendTimeoutError', async () => {
    const feed = new Feed();
    const response = await new TestClient(appFor(() => feed.events(false), { sendTimeout: 30, pingInterval: false })).stream('GET', '/events');
    await feed.finished; // nobody reads: the first event's send never settles
    expect(feed.produced).toBe(1);
    const error = await response.text().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendTimeoutError);
    expect((error as SendTimeoutError).message).toMatch(/took no data for 30 ms .* raise sendTimeout/);
  });

  it.each(['gzip', 'br'])('passes through CompressionMiddleware uncompressed (%s accepted): each event arrives before the next exists', async (encoding) => {
    const feed = new Feed();
    const client = new TestClient(appFor(() => feed.events(), undefined, true));
    const response = await client.stream('GET', '/events', { headers: { 'accept-encoding': encoding } });
    expect([response.headers.has('content-encoding'), response.headers.get('content-type')]).toEqual([false, 'text/event-stream; charset=utf-8']);
    expect(new TextDecoder().decode(await response.read())).toBe(tick(1));
    expect(feed.produced).toBe(1);
    feed.release();
    expect(new TextDecoder().decode(await response.read())).toBe(tick(2));
    await leave(response, feed);
  });

  it('lets the handler resume from Last-Event-ID, a plain request header', async () => {
    const app = new App().get('/events', (request) => {
      const last = Number(request.headers.get('last-event-id') ?? 0);
      return new EventSourceResponse([last + 1, last + 2].map((id) => ({ id, data: `note ${id}` })));
    });
    const response = await new TestClient(app).get('/events', { headers: { 'last-event-id': '41' } });
    expect(response.text).toBe('id: 42\ndata: note 42\n\nid: 43\ndata: note 43\n\n');
  });

  it('answers HEAD with the headers only, without iterating', async () => {
    let iterated = false;
    const response = await new TestClient(appFor(function* () {
      iterated = true;
      yield 'x';
    })).head('/events');
    expect([response.status, response.headers.get('content-type'), response.body.length, iterated]).toEqual([200, 'text/event-stream; charset=utf-8', 0, false]);
  });
});

describe('EventSourceResponse and the response head', () => {
  it('sends an empty body part right after the head, so hosts send the head before the first event exists', async () => {
    const never = new Promise<never>(() => undefined);
    const harness = new AppHarness(
      appFor(async function* () {
        await never;
      }),
      httpScope({ path: '/events', headers: [['host', 'testserver']] }),
    );
    harness.sendInput({ type: 'http.request', body: new Uint8Array(0), moreBody: false });
    expect((await harness.receiveOutput()).type).toBe('http.response.start');
    expect(await harness.receiveOutput()).toEqual({ type: 'http.response.body', body: new Uint8Array(0), moreBody: true });
    harness.sendInput({ type: 'http.disconnect' });
    await harness.wait();
  });
});
