import { randomBytes } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { createRequire } from 'node:module';
import etag from 'etag';
import fresh from 'fresh';
import { lookup } from 'mime-types';
import type { HeaderList, HttpScope, HttpSend, Receive, Send, WebSocketScope } from '@portico/protocol';
import { describeValue } from '../arguments';
import { Headers } from '../datastructures';
import { parseRange, type ByteRange } from './ranges';
import { checkInit, isHead, Response, type ResponseInit } from './response';

export interface FileResponseInit extends ResponseInit {
  /** Offer the file as a download under this name (`Content-Disposition`). */
  filename?: string | undefined;
  /** With `filename`: `attachment` (default) or `inline`. */
  contentDisposition?: 'attachment' | 'inline' | undefined;
}

/** The path and the options only FileResponse takes; ResponseInit is checked by Response. */
function checkFileArguments(path: unknown, init: FileResponseInit): void {
  if (typeof path !== 'string' || path === '') throw new TypeError(`new FileResponse(path) takes the path of a file, got ${describeValue(path)}`);
  checkInit(init, 'FileResponse');
  const { filename, contentDisposition } = init;
  if (filename !== undefined && typeof filename !== 'string') throw new TypeError(`new FileResponse(path, { filename }) takes a string, got ${describeValue(filename)}`);
  if (contentDisposition !== undefined && contentDisposition !== 'attachment' && contentDisposition !== 'inline') {
    throw new TypeError(`new FileResponse(path, { contentDisposition }) takes 'attachment' or 'inline', got ${describeValue(contentDisposition)}`);
  }
}

/** The file of a FileResponse cannot be sent (missing, a directory, unreadable). */
export class FileResponseError extends Error {
  override readonly name = 'FileResponseError';
}

const CHUNK_SIZE = 64 * 1024;
/** What a 304 keeps of the 200 it stands for (RFC 9110 §15.4.5). */
const NOT_MODIFIED_HEADERS = new Set(['cache-control', 'content-location', 'date', 'etag', 'expires', 'vary']);

/**
 * Send a file from disk. It answers conditional requests (`If-None-Match`, `If-Modified-Since` →
 * 304) and ranges (`Range` → 206, one range or `multipart/byteranges`, 416 when none fits,
 * `If-Range` honoured), sends headers only for HEAD, and lets the host stream the file itself
 * through `http.response.pathsend` when it offers that extension.
 *
 * @example
 * return new FileResponse('./reports/2024.pdf', { filename: 'report.pdf' });
 */
export class FileResponse extends Response {
  readonly path: string;

  constructor(path: string, init: FileResponseInit = {}) {
    checkFileArguments(path, init);
    super(undefined, { ...init, mediaType: init.mediaType ?? (lookup(init.filename ?? path) || 'application/octet-stream') });
    this.path = resolve(path);
    if (init.filename !== undefined) this.headers.set('content-disposition', dispositionHeader(init.contentDisposition ?? 'attachment', init.filename));
  }

  protected override initHeaders(given: HeaderList): HeaderList {
    return super.initHeaders(given, null);
  }

  protected override async sendResponse(scope: HttpScope | WebSocketScope, receive: Receive, send: Send): Promise<void> {
    const stats = await statFile(this.path);
    const headers = this.headers;
    if (!headers.has('last-modified')) headers.set('last-modified', stats.mtime.toUTCString());
    // Strong, unlike etag's default for stats: If-Range compares strongly, so a weak tag would never resume a download.
    if (!headers.has('etag')) headers.set('etag', etag(stats, { weak: false }));
    headers.set('accept-ranges', 'bytes');
    const httpSend: HttpSend = send;
    const request = new Headers(scope.headers);
    const conditional = this.status === 200 && scope.type === 'http' && (scope.method === 'GET' || scope.method === 'HEAD');

    if (conditional && notModified(request, headers)) {
      const kept = headers.raw.filter(([name]) => NOT_MODIFIED_HEADERS.has(name));
      await httpSend({ type: 'http.response.start', status: 304, headers: kept });
      await httpSend({ type: 'http.response.body' });
      return;
    }
    const rangeHeader = conditional ? request.get('range') : undefined;
    const ranges = rangeHeader !== undefined && rangeApplies(request, headers.get('etag')!, stats.mtime) ? parseRange(rangeHeader, stats.size) : null;
    if (ranges === 'unsatisfiable') {
      headers.delete('content-type');
      headers.set('content-range', `bytes */${stats.size}`);
      headers.set('content-length', '0');
      await httpSend({ type: 'http.response.start', status: 416, headers: headers.raw });
      await httpSend({ type: 'http.response.body' });
      return;
    }
    const body = isHead(scope) ? null : new FileBody(this.path, receive, httpSend);
    if (ranges === null) {
      if (!headers.has('content-length')) headers.set('content-length', String(stats.size));
      await httpSend({ type: 'http.response.start', status: this.status, headers: headers.raw });
      if (body && 'http.response.pathsend' in scope.extensions) await httpSend({ type: 'http.response.pathsend', path: this.path });
      else await body?.sendRanges([{ start: 0, end: stats.size - 1 }]);
      if (!body) await httpSend({ type: 'http.response.body' });
      return;
    }
    if (ranges.length === 1) {
      const [range] = ranges as [ByteRange];
      headers.set('content-range', `bytes ${range.start}-${range.end}/${stats.size}`);
      headers.set('content-length', String(range.end - range.start + 1));
      await httpSend({ type: 'http.response.start', status: 206, headers: headers.raw });
      if (body) await body.sendRanges(ranges);
      else await httpSend({ type: 'http.response.body' });
      return;
    }
    const parts = new MultipartRanges(ranges, stats.size, headers.get('content-type') ?? 'application/octet-stream');
    headers.set('content-type', `multipart/byteranges; boundary=${parts.boundary}`);
    headers.set('content-length', String(parts.length));
    await httpSend({ type: 'http.response.start', status: 206, headers: headers.raw });
    if (body) await body.sendRanges(ranges, parts);
    else await httpSend({ type: 'http.response.body' });
  }
}

async function statFile(path: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    throw new FileResponseError(`FileResponse cannot send '${path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  if (!stats.isFile()) throw new FileResponseError(`FileResponse cannot send '${path}': it is not a regular file`);
  return stats;
}

/**
 * RFC 9110 §13.1.2 (If-None-Match, weak comparison) and §13.1.3 (If-Modified-Since, only without
 * If-None-Match), by `fresh`; a request with `Cache-Control: no-cache` always gets the whole file.
 */
function notModified(request: Headers, response: Headers): boolean {
  return fresh(
    { 'if-none-match': request.get('if-none-match'), 'if-modified-since': request.get('if-modified-since'), 'cache-control': request.get('cache-control') },
    { etag: response.get('etag'), 'last-modified': response.get('last-modified') },
  );
}

/** RFC 9110 §13.1.5: a range applies unless If-Range names another version (strong comparison). */
function rangeApplies(request: Headers, etag: string, mtime: Date): boolean {
  const ifRange = request.get('if-range')?.trim();
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return !etag.startsWith('W/') && ifRange === etag;
  return Date.parse(ifRange) === Math.floor(mtime.getTime() / 1000) * 1000;
}

/**
 * content-disposition 1.x, which this package depends on, ships no types, and a program may resolve
 * its name to another version's (2.x has another API): loaded with require and typed here.
 */
const contentDisposition: (filename: string, options: { type: string; fallback: string }) => string = createRequire(__filename)('content-disposition');

/** RFC 6266 by `content-disposition`: an ASCII `filename` for old clients, the exact UTF-8 name in `filename*` (RFC 8187). */
function dispositionHeader(type: 'attachment' | 'inline', filename: string): string {
  const name = basename(filename);
  return contentDisposition(name, { type, fallback: name.replace(/[^\x20-\x7e]/g, '_') });
}

/** The part headers and closing line of a `multipart/byteranges` body. */
class MultipartRanges {
  readonly boundary = randomBytes(12).toString('hex');
  readonly #heads: string[];
  readonly #tail: string;
  readonly length: number;

  constructor(ranges: ByteRange[], size: number, contentType: string) {
    this.#heads = ranges.map(
      (range, i) => `${i === 0 ? '' : '\r\n'}--${this.boundary}\r\ncontent-type: ${contentType}\r\ncontent-range: bytes ${range.start}-${range.end}/${size}\r\n\r\n`,
    );
    this.#tail = `\r\n--${this.boundary}--\r\n`;
    this.length = ranges.reduce((total, range, i) => total + Buffer.byteLength(this.#heads[i]!) + range.end - range.start + 1, Buffer.byteLength(this.#tail));
  }

  head(index: number): Uint8Array {
    return Buffer.from(this.#heads[index]!);
  }

  get tail(): Uint8Array {
    return Buffer.from(this.#tail);
  }
}

/** Reads byte ranges of a file in chunks and sends them; stops reading once the client has left. */
class FileBody {
  #gone = false;

  readonly #path: string;
  readonly #receive: Receive;
  readonly #send: HttpSend;

  constructor(path: string, receive: Receive, send: HttpSend) {
    this.#path = path;
    this.#receive = receive;
    this.#send = send;
  }

  async sendRanges(ranges: ByteRange[], parts?: MultipartRanges): Promise<void> {
    void this.#watchDisconnect();
    let handle: FileHandle;
    try {
      handle = await open(this.#path, 'r');
    } catch (error) {
      throw new FileResponseError(`FileResponse cannot read '${this.#path}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    try {
      for (const [index, range] of ranges.entries()) {
        if (parts) await this.#send({ type: 'http.response.body', body: parts.head(index), moreBody: true });
        for (let position = range.start; position <= range.end && !this.#gone; position += CHUNK_SIZE) {
          const length = Math.min(CHUNK_SIZE, range.end - position + 1);
          const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(length), 0, length, position);
          if (bytesRead < length) throw new FileResponseError(`FileResponse: '${this.#path}' shrank while it was being sent`);
          await this.#send({ type: 'http.response.body', body: buffer, moreBody: true });
        }
      }
      await this.#send({ type: 'http.response.body', body: parts?.tail ?? new Uint8Array(0) });
    } finally {
      await handle.close();
    }
  }

  async #watchDisconnect(): Promise<void> {
    for (;;) {
      const event = await this.#receive().catch(() => ({ type: 'http.disconnect' as const }));
      if (event.type === 'http.disconnect' || event.type === 'websocket.disconnect') break; // a denial response runs in a websocket scope
    }
    this.#gone = true;
  }
}
