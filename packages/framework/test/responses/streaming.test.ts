import { describe, expect, it } from '@jest/globals';
import { AppHarness, httpScope } from '@portico/protocol';
import { App, ClientDisconnect, Route, StreamingResponse, TestClient, type Request } from '@portico/framework';
import { survivesGc } from '../support/garbage';

/** An endless stream of ticks that counts what it produced and tells when its `finally` ran. */
class Ticks {
  produced = 0;
  readonly finished: Promise<void>;
  #cleanedUp!: () => void;

  constructor() {
    this.finished = new Promise<void>((resolve) => (this.#cleanedUp = resolve));
  }

  async *stream(): AsyncGenerator<string> {
    try {
      for (;;) {
        this.produced += 1;
        yield `tick ${this.produced}\n`;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#cleanedUp();
    }
  }
}

/** Abort once three ticks went out: the request rejects, and the generator cleans up. */
async function leaveAfterThreeTicks(ticks: Ticks, request: Promise<unknown>, controller: AbortController): Promise<void> {
  while (ticks.produced < 3) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await expect(request).rejects.toThrow();
  await ticks.finished;
}

describe('StreamingResponse', () => {
  it('sends each chunk as it is produced, without Content-Length', async () => {
    async function* parts() {
      yield 'one ';
      yield Buffer.from('two ');
      yield 'three';
    }
    const app = new App({ routes: [new Route('/', () => new StreamingResponse(parts(), { mediaType: 'text/plain' }))] });
    const response = await new TestClient(app).get('/');
    expect([response.text, response.headers.has('content-length'), response.headers.get('content-type')]).toEqual(['one two three', false, 'text/plain; charset=utf-8']);
  });

  it('accepts a plain iterable', async () => {
    const app = new App({ routes: [new Route('/', () => new StreamingResponse(['a', 'b']))] });
    expect((await new TestClient(app).get('/')).text).toBe('ab');
  });

  it('stops iterating when the client leaves and lets the generator clean up', async () => {
    const ticks = new Ticks();
    const app = new App({ routes: [new Route('/', () => new StreamingResponse(ticks.stream()))] });
    const controller = new AbortController();
    await leaveAfterThreeTicks(ticks, new TestClient(app).get('/', { signal: controller.signal }), controller);
    const atStop = ticks.produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ticks.produced).toBe(atStop);
  });

  it('sends only headers for HEAD, without iterating', async () => {
    let iterated = false;
    const app = new App({ routes: [new Route('/', () => new StreamingResponse((function* () { iterated = true; yield 'x'; })()))] });
    const response = await new TestClient(app).head('/');
    expect([response.status, response.body.length, iterated]).toEqual([200, 0, false]);
  });

  it('lets go of each chunk once it is sent, so a long stream does not pile up while the client stays', async () => {
    let first: WeakRef<Uint8Array> | undefined;
    let firstSurvived: boolean | undefined;
    const chunk = (index: number): Uint8Array => {
      const bytes = new Uint8Array(1024).fill(index);
      if (index === 0) first = new WeakRef(bytes);
      return bytes;
    };
    async function* chunks() {
      for (let index = 0; index < 5; index++) yield chunk(index);
      await new Promise((resolve) => setImmediate(resolve));
      firstSurvived = survivesGc(first!);
    }
    const clientStays = new Promise<never>(() => undefined);
    await new StreamingResponse(chunks())(httpScope(), () => clientStays, async () => undefined);
    expect(firstSurvived).toBe(false);
  });

  describe('streaming the request body back (an echo)', () => {
    const chunk = (text: string, moreBody: boolean) => ({ type: 'http.request' as const, body: Buffer.from(text), moreBody });

    /** One chunk in, the same chunk out, before the next chunk is sent: a buffered echo fails at the first receiveOutput. */
    async function expectEchoedChunkByChunk(echo: (request: Request) => StreamingResponse) {
      const harness = new AppHarness(new App().post('/echo', echo), httpScope({ method: 'POST', path: '/echo' }));
      harness.sendInput(chunk('first ', true));
      expect(await harness.receiveOutput()).toMatchObject({ type: 'http.response.start', status: 200 });
      expect(await harness.receiveOutput()).toEqual({ type: 'http.response.body', body: Buffer.from('first '), moreBody: true });
      harness.sendInput(chunk('second', false));
      expect(await harness.receiveOutput()).toEqual({ type: 'http.response.body', body: Buffer.from('second'), moreBody: true });
      expect(await harness.receiveOutput()).toEqual({ type: 'http.response.body' });
      await harness.wait();
    }

    it('sends each body chunk back as it arrives, from an iterable that reads request.stream()', async () => {
      await expectEchoedChunkByChunk(
        (request) =>
          new StreamingResponse(
            (async function* () {
              for await (const part of request.stream()) yield part;
            })(),
          ),
      );
    });

    it('takes request.stream() itself as the content', async () => {
      await expectEchoedChunkByChunk((request) => new StreamingResponse(request.stream()));
    });

    it('stops quietly when the client leaves mid-upload, and the reader learns why', async () => {
      let readerError: unknown;
      const harness = new AppHarness(
        new App().post(
          '/echo',
          (request) =>
            new StreamingResponse(
              (async function* () {
                try {
                  for await (const part of request.stream()) yield part;
                } catch (error) {
                  readerError = error;
                  throw error;
                }
              })(),
            ),
        ),
        httpScope({ method: 'POST', path: '/echo' }),
      );
      harness.sendInput(chunk('one', true));
      await harness.receiveOutput(); // start
      await harness.receiveOutput(); // 'one'
      harness.sendInput({ type: 'http.disconnect' });
      await harness.wait(); // no error reaches the host: nobody is left to answer
      expect(readerError).toBeInstanceOf(ClientDisconnect);
    });
  });

  it('drains a request body nothing reads, so that it still sees the client leave', async () => {
    const ticks = new Ticks();
    const app = new App().post('/', () => new StreamingResponse(ticks.stream()));
    const controller = new AbortController();
    const request = new TestClient(app).post('/', { body: [Buffer.from('ignored '), Buffer.from('body')], signal: controller.signal });
    await leaveAfterThreeTicks(ticks, request, controller); // resolves once the generator's finally ran
  });

  it('says why when the iterable reads the body only after the watch drained it', async () => {
    const app = new App().post('/', (request) =>
      new StreamingResponse(
        (async function* () {
          await new Promise((resolve) => setTimeout(resolve, 10));
          yield await request.body();
        })(),
      ),
    );
    await expect(new TestClient(app).post('/', { body: 'late' })).rejects.toThrow(/request body was drained: the response started streaming before anything read it/);
  });
});
