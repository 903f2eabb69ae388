import { constants } from 'node:buffer';
import { describe, expect, it } from '@jest/globals';
import { httpScope, type HttpReceiveEvent, type HttpSendEvent } from '@portico/protocol';
import { App, BodyTooLargeError, DEFAULT_BODY_LIMIT, JSONResponse, TestClient, type AppOptions, type Handler } from '@portico/framework';
import { multipart } from './support/multipart';

const KiB = 1024;

/** An app with one POST route; `raiseServerExceptions: false` so a 500 is a status, not a throw. */
function clientFor(handler: Handler, options: AppOptions = {}): TestClient {
  return new TestClient(new App(options).post('/', handler), { raiseServerExceptions: false });
}

/** `count` chunks of `size` bytes, counting how many the app pulled. */
function countedChunks(count: number, size: number): { chunks: Iterable<Uint8Array>; supplied: () => number } {
  let supplied = 0;
  return {
    chunks: (function* () {
      for (let i = 0; i < count; i++) {
        supplied += 1;
        yield Buffer.alloc(size, 'a');
      }
    })(),
    supplied: () => supplied,
  };
}

const sizeOf: Handler = async (request) => new JSONResponse({ size: (await request.body()).length });

describe('the body limit of buffered reads', () => {
  it('is 1 MiB by default: exactly the limit is read, one byte more is a 413', async () => {
    const client = clientFor(sizeOf);
    expect(DEFAULT_BODY_LIMIT).toBe(1024 * KiB);
    expect((await client.post('/', { body: Buffer.alloc(DEFAULT_BODY_LIMIT) })).json()).toEqual({ size: DEFAULT_BODY_LIMIT });
    const over = await client.post('/', { body: Buffer.alloc(DEFAULT_BODY_LIMIT + 1) });
    expect([over.status, over.text]).toEqual([413, `The request body is larger than the limit of ${DEFAULT_BODY_LIMIT} bytes.`]);
  });

  it('stops reading a chunked body at the chunk that crosses the limit', async () => {
    const { chunks, supplied } = countedChunks(100, 300);
    const response = await clientFor(sizeOf, { bodyLimit: 1000 }).post('/', { body: chunks });
    expect(response.status).toBe(413);
    // The fourth chunk crosses 1000 bytes; the host reads one chunk ahead to tell moreBody.
    expect(supplied()).toBeLessThanOrEqual(5);
  });

  it('refuses a Content-Length over the limit before receiving any of the body', async () => {
    const app = new App({ bodyLimit: 10 }).post('/', async (request) => new JSONResponse(await request.json()));
    let bodyEventsReceived = 0;
    const sent: HttpSendEvent[] = [];
    const receive = async (): Promise<HttpReceiveEvent> => {
      bodyEventsReceived += 1;
      return { type: 'http.request', body: Buffer.from('{"a":"long enough"}'), moreBody: false };
    };
    await app(httpScope({ method: 'POST', headers: [['host', 'testserver'], ['content-length', '19']] }), receive, async (event) => void sent.push(event as HttpSendEvent));
    expect([sent[0]?.type === 'http.response.start' && sent[0].status, bodyEventsReceived]).toEqual([413, 0]);
  });

  it('is set per App and per call, a call overriding its App', async () => {
    const small = clientFor(async (request) => new JSONResponse(await request.json()), { bodyLimit: 10 });
    expect((await small.post('/', { json: '12345678' })).status).toBe(200); // 10 bytes with the quotes
    expect((await small.post('/', { json: '123456789' })).status).toBe(413);

    const generous = clientFor(async (request) => new JSONResponse({ size: (await request.text({ limit: 3 * 1024 * KiB })).length }));
    expect((await generous.post('/', { body: Buffer.alloc(2 * 1024 * KiB, 'a') })).json()).toEqual({ size: 2 * 1024 * KiB });
    const strict = clientFor(async (request) => new JSONResponse(await request.json({ limit: 4 })), { bodyLimit: Infinity });
    expect((await strict.post('/', { json: [1, 2] })).status).toBe(413);
    expect((await strict.post('/', { json: 1 })).json()).toBe(1);
  });

  it('applies to a body already read when a later call asks for less', async () => {
    const client = clientFor(async (request) => {
      await request.body();
      return new JSONResponse(await request.json({ limit: 5 }));
    });
    expect((await client.post('/', { json: 'longer than five' })).status).toBe(413);
  });

  it('applies to urlencoded forms (form({ limit }) overrides), not to multipart files', async () => {
    const client = clientFor(async (request) => {
      const form = await request.form({ limit: request.url.query === 'big' ? 10 * KiB : undefined });
      return new JSONResponse([...form].map(([name, value]) => [name, typeof value === 'string' ? value : value.size]));
    }, { bodyLimit: 100 });
    const field = 'x'.repeat(200);
    expect((await client.post('/', { form: { field } })).status).toBe(413);
    expect((await client.post('/?big', { form: { field } })).json()).toEqual([['field', field]]);
    const upload = multipart([{ name: 'file', value: Buffer.alloc(5000, 'b'), filename: 'big.bin', contentType: 'application/octet-stream' }]);
    const uploaded = await client.post('/', upload);
    expect(uploaded.json()).toEqual([['file', 5000]]);
  });

  it('does not apply to request.stream()', async () => {
    const { chunks, supplied } = countedChunks(40, 64 * KiB);
    const client = clientFor(async (request) => {
      let size = 0;
      for await (const chunk of request.stream()) size += chunk.length;
      return new JSONResponse({ size });
    });
    expect((await client.post('/', { body: chunks })).json()).toEqual({ size: 40 * 64 * KiB });
    expect(supplied()).toBe(40);
  });

  it('is a BodyTooLargeError, an HTTPException a handler can catch, carrying the limit', async () => {
    let caught: unknown;
    const client = clientFor(async (request) => {
      try {
        await request.body({ limit: 3 });
      } catch (error) {
        caught = error;
      }
      return new JSONResponse({ limit: (caught as BodyTooLargeError).limit });
    });
    expect((await client.post('/', { body: 'four' })).json()).toEqual({ limit: 3 });
    expect(caught).toBeInstanceOf(BodyTooLargeError);
    expect([(caught as BodyTooLargeError).statusCode, (caught as BodyTooLargeError).name]).toEqual([413, 'BodyTooLargeError']);
  });

  it('refuses a limit that is not a byte count, saying what it accepts', async () => {
    expect(() => new App({ bodyLimit: -1 })).toThrow('App bodyLimit is a number of bytes (a non-negative integer, or Infinity for no limit), got -1');
    expect(() => new App({ bodyLimit: '1mb' as unknown as number })).toThrow(/got string$/);
    await expect(new TestClient(new App().post('/', async (request) => new JSONResponse(await request.body({ limit: 1.5 })))).post('/', { body: 'x' })).rejects.toThrow(
      'the limit option of a body read is a number of bytes (a non-negative integer, or Infinity for no limit), got 1.5',
    );
  });

  it('says a body too large to decode is too large, not that it is not UTF-8', async () => {
    const huge = Buffer.alloc(constants.MAX_STRING_LENGTH + 1); // zeros: valid UTF-8, one character too many for a string
    const client = clientFor(async (request) => new JSONResponse(request.url.query === 'text' ? (await request.text()).length : await request.json()), { bodyLimit: Infinity });
    for (const query of ['json', 'text']) {
      const response = await client.post(`/?${query}`, { body: huge });
      expect([response.status, response.text]).toEqual([413, `The request body (${huge.length} bytes) is too large to decode as text.`]);
    }
  });
});
