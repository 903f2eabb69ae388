import { describe, expect, it } from '@jest/globals';
import { App, Route, StreamingResponse, TestClient } from '@portico/framework';

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
    let cleanedUp!: () => void;
    const finished = new Promise<void>((resolve) => (cleanedUp = resolve));
    let produced = 0;
    async function* endless() {
      try {
        for (;;) {
          produced += 1;
          yield `tick ${produced}\n`;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        cleanedUp();
      }
    }
    const app = new App({ routes: [new Route('/', () => new StreamingResponse(endless()))] });
    const controller = new AbortController();
    const request = new TestClient(app).get('/', { signal: controller.signal });
    while (produced < 3) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(request).rejects.toThrow();
    await finished;
    const atStop = produced;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(produced).toBe(atStop);
  });

  it('sends only headers for HEAD, without iterating', async () => {
    let iterated = false;
    const app = new App({ routes: [new Route('/', () => new StreamingResponse((function* () { iterated = true; yield 'x'; })()))] });
    const response = await new TestClient(app).head('/');
    expect([response.status, response.body.length, iterated]).toEqual([200, 0, false]);
  });
});
