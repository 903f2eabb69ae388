import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { App, JSONResponse, PlainTextResponse, Route, StreamingResponse, TestClient, UploadClosedError, UploadFile, type Handler, type Request } from '@portico/framework';
import { inPieces, multipart } from './support/multipart';

let tempDir: string;
beforeEach(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'portico-uploads-'));
});
afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

const small = randomBytes(1000);
const large = randomBytes(300_000);
const upload = multipart([
  { name: 'small', value: small, filename: 'small.bin', contentType: 'application/octet-stream' },
  { name: 'large', value: large, filename: 'large.bin', contentType: 'application/octet-stream' },
]);

/** The uploaded file of that name; spooled to disk past 64 KiB. */
async function fileOf(request: Request, name: string): Promise<UploadFile> {
  const value = (await request.form({ tempDir, spoolMaxSize: 64 * 1024 })).get(name);
  if (!(value instanceof UploadFile)) throw new Error(`no file ${name}`);
  return value;
}

function clientFor(handler: Handler): TestClient {
  return new TestClient(new App({ routes: [new Route('/upload', handler, { methods: ['POST'] })] }), { raiseServerExceptions: false });
}

const send = (client: TestClient) => client.post('/upload', { body: inPieces(upload.body, 16 * 1024), headers: upload.headers });

describe('UploadFile', () => {
  it('keeps a small file in memory and spools a large one to a private temp file; read() and stream() give the exact bytes', async () => {
    const client = clientFor(async (request) => {
      const smallFile = await fileOf(request, 'small');
      const largeFile = await fileOf(request, 'large');
      const onDisk = readdirSync(tempDir);
      const streamed: Uint8Array[] = [];
      for await (const chunk of largeFile.stream()) streamed.push(chunk);
      const smallChunks: Uint8Array[] = [];
      for await (const chunk of smallFile.stream()) smallChunks.push(chunk);
      return new JSONResponse({
        onDisk: onDisk.length,
        mode: (statSync(join(tempDir, onDisk[0]!)).mode & 0o777).toString(8),
        sizes: [smallFile.size, largeFile.size],
        smallIntact: Buffer.from(await smallFile.read()).equals(small),
        largeIntact: Buffer.from(await largeFile.read()).equals(large),
        streamedIntact: Buffer.concat(streamed).equals(large),
        smallStreamed: Buffer.concat(smallChunks).equals(small),
        headers: [...largeFile.headers],
      });
    });
    expect((await send(client)).json()).toEqual({
      onDisk: 1,
      mode: '600',
      sizes: [1000, 300_000],
      smallIntact: true,
      largeIntact: true,
      streamedIntact: true,
      smallStreamed: true,
      headers: [
        ['content-disposition', 'form-data; name="large"; filename="large.bin"'],
        ['content-type', 'application/octet-stream'],
      ],
    });
  });

  it('removes the temp file when the request ends', async () => {
    const client = clientFor(async (request) => new PlainTextResponse(String((await fileOf(request, 'large')).size)));
    expect((await send(client)).text).toBe('300000');
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes the temp file when a handler that is not async starts the form and returns its response at once', async () => {
    const client = clientFor((request) => {
      const file = fileOf(request, 'large');
      async function* size() {
        yield String((await file).size);
      }
      return new StreamingResponse(size(), { mediaType: 'text/plain' });
    });
    expect((await send(client)).text).toBe('300000');
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes the temp file when the handler fails after reading the form', async () => {
    const client = clientFor(async (request) => {
      await fileOf(request, 'large');
      throw new Error('storage is full');
    });
    expect((await send(client)).status).toBe(500);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('stays readable while the response streams it back, and goes once that response is sent', async () => {
    const client = clientFor(async (request) => new StreamingResponse((await fileOf(request, 'large')).stream(), { mediaType: 'application/octet-stream' }));
    const response = await send(client);
    expect(Buffer.from(response.body).equals(large)).toBe(true);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('can be closed early: the temp file goes at once, and reading it afterwards says why it cannot', async () => {
    const client = clientFor(async (request) => {
      const file = await fileOf(request, 'large');
      await file.close();
      const left = readdirSync(tempDir).length;
      const error = await file.read().catch((caught: unknown) => caught);
      return new JSONResponse({ left, closedError: error instanceof UploadClosedError, message: (error as Error).message });
    });
    expect((await send(client)).json()).toEqual({
      left: 0,
      closedError: true,
      message: 'this upload was closed (uploads are removed when the request ends); read it in the handler, or copy it somewhere first',
    });
  });
});
