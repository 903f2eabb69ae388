/**
 * Response compression with gzip and brotli from node:zlib, negotiated by `Accept-Encoding`
 * (RFC 9110 §12.5.3). Streaming responses are compressed chunk by chunk, each chunk flushed, so
 * a client receives (and can decode) every chunk as soon as the app sends it.
 */
import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip, type BrotliCompress, type Gzip } from 'node:zlib';
import { createRequire } from 'node:module';
import Negotiator from 'negotiator';
import type { App as GatewayApp, HeaderList, HttpResponseStartEvent, HttpScope, Send, SendEvent } from '@portico/protocol';
import { checkOptions, describeValue } from '../arguments';
import { addVary } from './vary';

/** negotiator 1's `encodings()`, which takes our preference order for ties; @types/negotiator (0.6) predates it. */
interface EncodingNegotiator {
  encodings(available: readonly string[], options: { preferred: readonly string[] }): string[];
}

export type ContentEncoding = 'br' | 'gzip';

export interface CompressionOptions {
  /** Bodies smaller than this (in bytes) are sent as they are: compressing them gains nothing. Default 500. */
  minimumSize?: number;
  /** The encodings to offer, preferred first when the client accepts several equally. Default `['br', 'gzip']`. */
  encodings?: readonly ContentEncoding[];
}

/** Fast settings: a response is compressed while the client waits. */
const BROTLI_PARAMS = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The part of mime-db read here; loaded with require because mime-db ships no types (and @types/mime-db is not a dependency). */
const mimeDb: Readonly<Record<string, { readonly compressible?: boolean } | undefined>> = createRequire(__filename)('mime-db');

/** Types mime-db does not list: compressible when text or a JSON / XML structured syntax suffix, as the `compressible` package decides. */
const COMPRESSIBLE_FALLBACK = /^text\/|\+(?:json|text|xml)$/;

/**
 * Whether a media type (lower case, no parameters) is worth compressing: mime-db's `compressible`
 * flag, else the fallback. Event streams never: they are read as they come (Starlette excludes them too).
 */
function compressibleType(type: string): boolean {
  if (type === 'text/event-stream') return false;
  return mimeDb[type]?.compressible ?? COMPRESSIBLE_FALLBACK.test(type);
}

/**
 * Compress responses the client accepts compressed (`q=0` means never). Skips responses that are
 * small (`minimumSize`), already encoded, of a type that does not compress (images, archives),
 * partial (206), marked `Cache-Control: no-transform`, or answers to HEAD. A compressed response
 * loses its `Content-Length` when it streams (it cannot be known in advance), gets a weak ETag (it
 * is another representation) and `Vary: Accept-Encoding`, as does every response that could have
 * been compressed, so caches keep the variants apart.
 *
 * @example
 * new App({ middleware: [new Middleware(CompressionMiddleware, { minimumSize: 1024 })] });
 */
export function CompressionMiddleware(app: GatewayApp, options: CompressionOptions | undefined): GatewayApp {
  const { minimumSize, offered } = compressionSettings(options);
  return async function compression(scope, receive, send) {
    if (scope.type !== 'http') return app(scope, receive, send);
    const compressor = new ResponseCompressor(send, chooseEncoding(scope, offered), minimumSize, scope.method === 'HEAD');
    try {
      await app(scope, receive, compressor.send);
    } finally {
      compressor.dispose();
    }
  };
}

// Run by new Middleware(CompressionMiddleware, options): wrong options fail when the app is configured.
CompressionMiddleware.checkOptions = (options: CompressionOptions | undefined): void => void compressionSettings(options);

function compressionSettings(given: CompressionOptions | undefined): { minimumSize: number; offered: readonly ContentEncoding[] } {
  const options = checkOptions(given, 'new Middleware(CompressionMiddleware, options)', { minimumSize: true, encodings: true });
  const minimumSize = options.minimumSize ?? 500;
  const offered = options.encodings ?? ['br', 'gzip'];
  if (!Number.isInteger(minimumSize) || minimumSize < 0) throw new TypeError(`CompressionMiddleware minimumSize is a number of bytes, got ${minimumSize}`);
  if (!Array.isArray(offered)) throw new TypeError(`CompressionMiddleware encodings is an array of 'br' and 'gzip', got ${describeValue(offered)}`);
  for (const encoding of offered) {
    if (encoding !== 'br' && encoding !== 'gzip') throw new TypeError(`CompressionMiddleware encodings: '${String(encoding)}' is not one of 'br', 'gzip'`);
  }
  return { minimumSize, offered };
}

/**
 * The encoding to use (RFC 9110 §12.5.3, by `negotiator`): the offered one with the highest q-value
 * the client gives it (by name or through `*`), the earlier offered on a tie; null when none is
 * acceptable or the request has no Accept-Encoding.
 */
function chooseEncoding(scope: HttpScope, offered: readonly ContentEncoding[]): ContentEncoding | null {
  let header: string | undefined;
  for (const [name, value] of scope.headers) if (name === 'accept-encoding') header = header === undefined ? value : `${header}, ${value}`;
  if (header === undefined) return null;
  // negotiator knows no aliases: `x-gzip` (RFC 9110 §8.4.1.3) is offered as a name for gzip.
  const available = offered.includes('gzip') ? [...offered, 'x-gzip'] : offered;
  const negotiator: EncodingNegotiator = new Negotiator({ headers: { 'accept-encoding': header } });
  const [best] = negotiator.encodings(available, { preferred: available });
  return best === undefined ? null : best === 'x-gzip' ? 'gzip' : (best as ContentEncoding);
}

type Phase = 'start' | 'held' | 'passthrough' | 'compressing' | 'done';

/** One response on its way out: decides at the start whether to compress, then encodes its body events. */
class ResponseCompressor {
  readonly #send: Send;
  readonly #encoding: ContentEncoding | null;
  readonly #minimumSize: number;
  readonly #head: boolean;
  #phase: Phase = 'start';
  #start: HttpResponseStartEvent | undefined;
  #encoder: StreamEncoder | undefined;

  constructor(send: Send, encoding: ContentEncoding | null, minimumSize: number, head: boolean) {
    this.#send = send;
    this.#encoding = encoding;
    this.#minimumSize = minimumSize;
    this.#head = head;
  }

  readonly send = async (event: SendEvent): Promise<void> => {
    if (this.#phase === 'start' && event.type === 'http.response.start') return this.#started(event);
    if (this.#phase === 'held') {
      if (event.type === 'http.response.body') return this.#firstBody(event.body ?? new Uint8Array(0), event.moreBody === true);
      if (event.type === 'http.response.pathsend') return this.#file(event.path);
    }
    if (this.#phase === 'compressing' && event.type === 'http.response.body') return this.#body(event.body, event.moreBody === true);
    return this.#send(event);
  };

  /** Free the encoder of a response the app abandoned midway. */
  dispose(): void {
    this.#encoder?.destroy();
  }

  async #started(event: HttpResponseStartEvent): Promise<void> {
    const headers = event.headers ?? [];
    if (!compressible(event.status, headers)) {
      this.#phase = 'passthrough';
      return this.#send(event);
    }
    const varied: HeaderList = [...headers];
    addVary(varied, 'Accept-Encoding');
    const declared = headerValue(varied, 'content-length');
    const tooSmall = declared !== undefined && Number(declared) < this.#minimumSize;
    if (this.#encoding === null || this.#head || tooSmall) {
      this.#phase = 'passthrough';
      return this.#send({ ...event, headers: varied });
    }
    // Hold the start until the first body event tells whether the whole body is there.
    this.#start = { ...event, headers: varied };
    this.#phase = 'held';
  }

  async #firstBody(body: Uint8Array, moreBody: boolean): Promise<void> {
    const start = this.#start!;
    const encoding = this.#encoding!;
    if (!moreBody) {
      this.#phase = 'done';
      if (body.length < this.#minimumSize) {
        await this.#send(start);
        return this.#send({ type: 'http.response.body', body });
      }
      const compressed = encoding === 'br' ? await brotliAsync(body, BROTLI_PARAMS) : await gzipAsync(body);
      await this.#send({ ...start, headers: encodedHeaders(start.headers!, encoding, compressed.length) });
      return this.#send({ type: 'http.response.body', body: compressed });
    }
    await this.#beginStream();
    return this.#body(body, true);
  }

  async #beginStream(): Promise<void> {
    const start = this.#start!;
    this.#encoder = new StreamEncoder(this.#encoding!);
    this.#phase = 'compressing';
    await this.#send({ ...start, headers: encodedHeaders(start.headers!, this.#encoding!, null) });
  }

  async #body(body: Uint8Array | undefined, moreBody: boolean): Promise<void> {
    const encoder = this.#encoder!;
    if (moreBody) {
      const compressed = await encoder.write(body);
      if (compressed.length > 0) await this.#send({ type: 'http.response.body', body: compressed, moreBody: true });
      return;
    }
    this.#phase = 'done';
    await this.#send({ type: 'http.response.body', body: await encoder.end(body) });
  }

  /** A whole file the app handed to the host (`pathsend`): read and compressed here instead. */
  async #file(path: string): Promise<void> {
    await this.#beginStream();
    for await (const chunk of createReadStream(path)) await this.#body(chunk as Buffer, true);
    await this.#body(undefined, false);
  }
}

/** A zlib stream fed one chunk at a time; each write is flushed so its output can go out at once. */
class StreamEncoder {
  readonly #stream: Gzip | BrotliCompress;
  readonly #flushKind: number;
  #output: Buffer[] = [];
  #error: Error | undefined;

  constructor(encoding: ContentEncoding) {
    this.#stream = encoding === 'br' ? createBrotliCompress(BROTLI_PARAMS) : createGzip();
    this.#flushKind = encoding === 'br' ? constants.BROTLI_OPERATION_FLUSH : constants.Z_SYNC_FLUSH;
    this.#stream.on('data', (chunk: Buffer) => this.#output.push(chunk));
    this.#stream.on('error', (error) => (this.#error = error));
  }

  async write(chunk: Uint8Array | undefined): Promise<Buffer> {
    if (chunk !== undefined && chunk.length > 0) this.#stream.write(chunk);
    await new Promise<void>((resolve) => this.#stream.flush(this.#flushKind, resolve));
    return this.#take();
  }

  async end(chunk: Uint8Array | undefined): Promise<Buffer> {
    const ended = once(this.#stream, 'end');
    this.#stream.end(chunk !== undefined && chunk.length > 0 ? chunk : undefined);
    await ended;
    return this.#take();
  }

  destroy(): void {
    if (!this.#stream.destroyed) this.#stream.destroy();
  }

  /** What the stream has produced so far, including output still buffered on its readable side. */
  #take(): Buffer {
    if (this.#error) throw this.#error;
    while (this.#stream.read() !== null);
    const output = this.#output.length === 1 ? this.#output[0]! : Buffer.concat(this.#output);
    this.#output = [];
    return output;
  }
}

function compressible(status: number, headers: HeaderList): boolean {
  if (status < 200 || status === 204 || status === 206 || status === 304) return false;
  let type: string | undefined;
  for (const [name, value] of headers) {
    if (name === 'content-type') type = value.split(';')[0]!.trim().toLowerCase();
    else if (name === 'content-encoding' && value.trim().toLowerCase() !== 'identity') return false;
    else if (name === 'content-range') return false;
    else if (name === 'cache-control' && /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(value)) return false;
  }
  return type !== undefined && compressibleType(type);
}

/** The headers of the compressed response: encoding set, length exact or dropped, ETag weakened. */
function encodedHeaders(headers: HeaderList, encoding: ContentEncoding, length: number | null): HeaderList {
  const result: HeaderList = [];
  for (const header of headers) {
    const [name, value] = header;
    if (name === 'content-length' || name === 'content-encoding') continue;
    result.push(name === 'etag' && value.startsWith('"') ? ['etag', `W/${value}`] : header);
  }
  result.push(['content-encoding', encoding]);
  if (length !== null) result.push(['content-length', String(length)]);
  return result;
}

function headerValue(headers: HeaderList, wanted: string): string | undefined {
  for (const [name, value] of headers) if (name === wanted) return value;
  return undefined;
}
