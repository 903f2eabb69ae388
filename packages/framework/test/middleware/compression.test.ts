import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, constants, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from '@jest/globals';
import { AppHarness, httpScope, type HttpResponseBodyEvent, type HttpResponseStartEvent } from '@portico/protocol';
import { App, CompressionMiddleware, FileResponse, Headers, JSONResponse, Middleware, PlainTextResponse, Response, Route, StreamingResponse, TestClient, type CompressionOptions } from '@portico/framework';

const notes = Array.from({ length: 200 }, (_, id) => ({ id, title: `note ${id}`, body: 'milk, eggs, bread' }));
const dir = mkdtempSync(join(tmpdir(), 'portico-compression-'));
const textFile = join(dir, 'notes.txt');
writeFileSync(textFile, 'a line of notes\n'.repeat(10_000));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The streaming route's second chunk waits for this gate, opened by the test. */
let release: () => void = () => undefined;
let gate = Promise.resolve();
async function* slowTicks(): AsyncGenerator<string> {
  yield 'first chunk, '.repeat(20);
  await gate;
  yield 'second chunk';
}

function appWith(options?: CompressionOptions): App {
  const routes = [
    new Route('/notes', () => new JSONResponse(notes)),
    new Route('/tiny', () => new PlainTextResponse('ok')),
    new Route('/png', () => new Response(Buffer.alloc(5000), { mediaType: 'image/png' })),
    new Route('/pre-encoded', () => new Response(Buffer.alloc(5000), { mediaType: 'text/plain', headers: { 'content-encoding': 'gzip' } })),
    new Route('/no-transform', () => new PlainTextResponse('x'.repeat(5000), { headers: { 'cache-control': 'no-transform' } })),
    new Route('/stream', () => new StreamingResponse(slowTicks(), { mediaType: 'text/plain' })),
    new Route('/random', () => new StreamingResponse([randomBytes(1 << 20), randomBytes(100_000)], { mediaType: 'text/plain' })),
    new Route('/file', () => new FileResponse(textFile)),
  ];
  return new App({ routes, middleware: [new Middleware(CompressionMiddleware, options)] });
}

const client = new TestClient(appWith());
const gzipOnly = { headers: { 'accept-encoding': 'gzip' } };

describe('CompressionMiddleware', () => {
  it('compresses a whole body with gzip: exact Content-Length, Vary: Accept-Encoding, decodes to the original', async () => {
    const response = await client.get('/notes', gzipOnly);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('content-length')).toBe(String(response.body.length));
    expect(JSON.parse(gunzipSync(response.body).toString())).toEqual(notes);
    expect(response.body.length).toBeLessThan(JSON.stringify(notes).length / 5);
  });

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['BR;Q=0.8, GZIP;q=0.9', 'gzip'],
    ['x-gzip', 'gzip'],
    ['*', 'br'],
    ['gzip;q=0, br;q=0', null],
    ['*;q=0', null],
    ['identity', null],
    ['', null],
  ])('negotiates Accept-Encoding %j as %s (q=0 means never)', async (accept, encoding) => {
    const response = await client.get('/notes', { headers: { 'accept-encoding': accept } });
    expect(response.headers.get('content-encoding') ?? null).toBe(encoding);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    const body = encoding === 'br' ? brotliDecompressSync(response.body) : encoding === 'gzip' ? gunzipSync(response.body) : response.body;
    expect(JSON.parse(body.toString())).toEqual(notes);
  });

  it('honours the encodings option: only those, in that order of preference', async () => {
    const gzipFirst = new TestClient(appWith({ encodings: ['gzip', 'br'] }));
    expect((await gzipFirst.get('/notes', { headers: { 'accept-encoding': 'br, gzip' } })).headers.get('content-encoding')).toBe('gzip');
    const brotliOnly = new TestClient(appWith({ encodings: ['br'] }));
    expect((await brotliOnly.get('/notes', gzipOnly)).headers.has('content-encoding')).toBe(false);
  });

  it('sends a body under minimumSize as it is, Content-Length kept', async () => {
    const response = await client.get('/tiny', gzipOnly);
    expect([response.text, response.headers.get('content-length'), response.headers.has('content-encoding'), response.headers.get('vary')]).toEqual(['ok', '2', false, 'Accept-Encoding']);
    const lowered = await new TestClient(appWith({ minimumSize: 1 })).get('/tiny', gzipOnly);
    expect(gunzipSync(lowered.body).toString()).toBe('ok');
  });

  it.each([
    ['a type that does not compress', '/png'],
    ['an already encoded body', '/pre-encoded'],
    ['Cache-Control: no-transform', '/no-transform'],
  ])('leaves %s alone', async (_what, path) => {
    const response = await client.get(path, gzipOnly);
    expect(response.body.length).toBe(5000);
    expect(response.headers.get('content-length')).toBe('5000');
    expect(response.headers.has('vary')).toBe(false);
  });

  it('does not compress the answer to HEAD, but still says it varies', async () => {
    const response = await client.head('/notes', gzipOnly);
    expect([response.headers.has('content-encoding'), response.headers.get('vary'), response.headers.get('content-length')]).toEqual([false, 'Accept-Encoding', String(JSON.stringify(notes).length)]);
  });

  it.each([
    ['gzip', (body: Buffer) => gunzipSync(body, { finishFlush: constants.Z_SYNC_FLUSH })],
    ['br', (body: Buffer) => brotliDecompressSync(body, { finishFlush: constants.BROTLI_OPERATION_FLUSH })],
  ])('streams with %s: each chunk is flushed and decodable before the next exists, no Content-Length', async (encoding, decode) => {
    gate = new Promise((resolve) => (release = resolve));
    const harness = new AppHarness(appWith(), httpScope({ path: '/stream', headers: [['host', 'testserver'], ['accept-encoding', encoding]] }));
    harness.sendInput({ type: 'http.request', body: new Uint8Array(0), moreBody: false });
    const start = (await harness.receiveOutput()) as HttpResponseStartEvent;
    const headers = new Headers(start.headers);
    expect([headers.get('content-encoding'), headers.has('content-length'), headers.get('vary')]).toEqual([encoding, false, 'Accept-Encoding']);
    const first = (await harness.receiveOutput()) as HttpResponseBodyEvent;
    expect(first.moreBody).toBe(true);
    // The generator is still waiting for release(): this chunk went out on its own.
    expect(decode(Buffer.from(first.body!)).toString()).toBe('first chunk, '.repeat(20));
    release();
    const rest: Buffer[] = [Buffer.from(first.body!)];
    for (let event = first; event.moreBody === true; ) {
      event = (await harness.receiveOutput()) as HttpResponseBodyEvent;
      rest.push(Buffer.from(event.body ?? []));
    }
    const whole = Buffer.concat(rest);
    expect((encoding === 'br' ? brotliDecompressSync(whole) : gunzipSync(whole)).toString()).toBe(`${'first chunk, '.repeat(20)}second chunk`);
    await harness.wait();
  });

  it('streams large incompressible chunks without losing a byte', async () => {
    const response = await client.get('/random', gzipOnly);
    expect([response.headers.get('content-encoding'), response.headers.has('content-length')]).toEqual(['gzip', false]);
    expect(gunzipSync(response.body).length).toBe((1 << 20) + 100_000);
  });

  it('compresses a file the app hands to the host (pathsend) and weakens its ETag', async () => {
    const plain = await client.get('/file');
    const compressed = await client.get('/file', gzipOnly);
    expect(gunzipSync(compressed.body).toString()).toBe(plain.text);
    expect(compressed.headers.get('etag')).toBe(`W/${plain.headers.get('etag')}`);
    expect(compressed.headers.has('content-length')).toBe(false);
    const revalidated = await client.get('/file', { headers: { 'accept-encoding': 'gzip', 'if-none-match': compressed.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });

  it.each([
    ['font/ttf', true], // mime-db marks it compressible; the former hand-written list did not
    ['image/svg+xml', true],
    ['application/x-notes+json', true], // not in mime-db: the +json suffix decides
    ['text/x-notes', true], // not in mime-db: text/* decides
    ['image/jpeg', false],
    ['text/event-stream', false], // read as it comes: never compressed
  ])('compresses %s: %s (mime-db, with a fallback for types it does not list)', async (mediaType, compressed) => {
    const app = new App({ routes: [new Route('/typed', () => new Response('a'.repeat(5000), { mediaType }))], middleware: [new Middleware(CompressionMiddleware, undefined)] });
    const response = await new TestClient(app).get('/typed', gzipOnly);
    expect(response.headers.get('content-encoding') ?? null).toBe(compressed ? 'gzip' : null);
  });

  it('refuses a minimumSize that is not a byte count and an unknown encoding', () => {
    const inner = async (): Promise<void> => undefined;
    expect(() => CompressionMiddleware(inner, { minimumSize: -1 })).toThrow('CompressionMiddleware minimumSize is a number of bytes, got -1');
    expect(() => CompressionMiddleware(inner, { encodings: ['deflate' as 'gzip'] })).toThrow("CompressionMiddleware encodings: 'deflate' is not one of 'br', 'gzip'");
  });
});
