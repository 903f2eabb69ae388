/**
 * Uploaded files: kept in memory while small, moved to a temporary file (mode 0600) once they
 * pass a threshold, so a large upload never sits in memory whole.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Headers } from './datastructures';

/** An upload was read after `close()`. */
export class UploadClosedError extends Error {
  override readonly name = 'UploadClosedError';
}

/** The bytes of one upload as they arrive: in memory up to `maxMemory`, in a temp file past it. */
export class SpooledFile {
  readonly #maxMemory: number;
  readonly #directory: string;
  #chunks: Uint8Array[] = [];
  #size = 0;
  #path: string | undefined;
  #handle: FileHandle | undefined;
  #closed = false;

  constructor(maxMemory: number, directory: string) {
    this.#maxMemory = maxMemory;
    this.#directory = directory;
  }

  get size(): number {
    return this.#size;
  }

  /** The temp file's path once the upload spilled to disk. */
  get path(): string | undefined {
    return this.#path;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#size += chunk.length;
    if (this.#path === undefined && this.#size <= this.#maxMemory) {
      this.#chunks.push(chunk);
      return;
    }
    if (this.#path === undefined) {
      this.#path = join(this.#directory, `portico-upload-${randomUUID()}`);
      this.#handle = await open(this.#path, 'wx', 0o600);
      for (const held of this.#chunks) await this.#handle.writeFile(held);
      this.#chunks = [];
    }
    await this.#handle!.writeFile(chunk);
  }

  /** The upload is complete: release the write handle (the file stays until `close()`). */
  async finish(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async read(): Promise<Uint8Array> {
    this.#checkOpen();
    if (this.#path !== undefined) return readFile(this.#path);
    return this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
  }

  async *stream(): AsyncGenerator<Uint8Array, void, undefined> {
    this.#checkOpen();
    if (this.#path === undefined) {
      yield* this.#chunks;
      return;
    }
    for await (const chunk of createReadStream(this.#path)) yield chunk as Buffer;
  }

  /** Drop the data and remove the temp file, if any. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#chunks = [];
    await this.finish().catch(() => undefined);
    if (this.#path !== undefined) await rm(this.#path, { force: true });
  }

  #checkOpen(): void {
    if (this.#closed) throw new UploadClosedError('this upload was closed (uploads are removed when the request ends); read it in the handler, or copy it somewhere first');
  }
}

/**
 * A file from a `multipart/form-data` form. Read it whole with `read()` or in chunks with
 * `stream()`. Its temp file is removed when the request ends (when the handler's response has been
 * sent), or earlier with `close()`.
 *
 * @example
 * app.post('/avatars', async (request) => {
 *   const avatar = (await request.form()).get('avatar');
 *   if (!(avatar instanceof UploadFile)) throw new HTTPException(400, 'attach a file as avatar');
 *   await pipeline(avatar.stream(), createWriteStream(`avatars/${randomUUID()}`));
 *   return new JSONResponse({ filename: avatar.filename, size: avatar.size }, { status: 201 });
 * });
 */
export class UploadFile {
  /** The name the client gave the file (without any directory part); undefined when it gave none. */
  readonly filename: string | undefined;
  /** The part's media type, as the client declared it (`application/octet-stream` when it did not). */
  readonly contentType: string;
  /** The part's headers: Content-Disposition and Content-Type. */
  readonly headers: Headers;
  readonly #file: SpooledFile;

  constructor(file: SpooledFile, init: { filename: string | undefined; contentType: string; headers: Headers }) {
    this.#file = file;
    this.filename = init.filename;
    this.contentType = init.contentType;
    this.headers = init.headers;
  }

  /** Bytes received. */
  get size(): number {
    return this.#file.size;
  }

  /** The whole file. */
  read(): Promise<Uint8Array> {
    return this.#file.read();
  }

  /** The file in chunks, without holding it all in memory. */
  stream(): AsyncGenerator<Uint8Array, void, undefined> {
    return this.#file.stream();
  }

  /** Release it now (the temp file is removed); reading it afterwards is an UploadClosedError. */
  close(): Promise<void> {
    return this.#file.close();
  }
}
