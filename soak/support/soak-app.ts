/**
 * The routes the soak tests need beyond the examples: a large streamed response, an upload
 * written to disk as it arrives, and a multipart form whose files spill to temp files early.
 * Files go to `SOAK_DIR` (a fresh temp dir the test removes), so a leftover file is visible.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { App, JSONResponse, PlainTextResponse, StreamingResponse, UploadFile } from '@portico/framework';

const CHUNK = 64 * 1024;
const MiB = 1024 * 1024;
const directory = process.env['SOAK_DIR'] ?? '';

/** `mib` MiB in 64 KiB chunks, each a fresh buffer: a server that ignores back-pressure grows by what it queues. */
async function* filler(mib: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < mib * MiB; sent += CHUNK) yield Buffer.alloc(CHUNK, 0x61);
}

export const app = new App();

app.get('/', () => new PlainTextResponse('ok'));

app.get('/stream', (request) => new StreamingResponse(filler(Number(request.queryParams.get('mib') ?? '1')), { mediaType: 'application/octet-stream' }));

// The body goes to a file as it arrives; a client that leaves midway leaves no partial file.
app.post('/upload', async (request) => {
  const path = join(directory, `upload-${randomUUID()}`);
  try {
    await pipeline(request.stream(), createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return new JSONResponse({ path, size: (await stat(path)).size }, { status: 201 });
});

// Files past 16 KiB spill to temp files in SOAK_DIR (TMPDIR); the framework removes them.
app.post('/form', async (request) => {
  const file = (await request.form({ spoolMaxSize: 16 * 1024, tempDir: directory })).get('file');
  return new JSONResponse({ size: file instanceof UploadFile ? file.size : 0 });
});
