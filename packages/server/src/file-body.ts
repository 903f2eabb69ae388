import { createReadStream } from 'node:fs';

const FILE_CHUNK_SIZE = 64 * 1024;

/**
 * Stream a file as body chunks through `write`, which resolves once the transport took each one
 * (so a slow client slows the reading); stops early when `gone()` says the client left. Every
 * transport (HTTP/1.1, HTTP/2, fetch) serves `http.response.pathsend` with it.
 */
export async function streamFile(path: string, write: (chunk: Uint8Array) => Promise<void>, gone: () => boolean): Promise<void> {
  const file = createReadStream(path, { highWaterMark: FILE_CHUNK_SIZE });
  try {
    for await (const chunk of file) {
      if (gone()) break;
      await write(chunk as Buffer);
    }
  } finally {
    file.destroy();
  }
}
